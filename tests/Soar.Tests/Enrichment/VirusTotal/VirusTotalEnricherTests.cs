using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Soar.Enrichment;
using Soar.Events;

namespace Soar.Tests.Enrichment.VirusTotal;

/// <summary>The real client, queue, quota and cache against the fake VirusTotal, on a fake clock.</summary>
public sealed class VirusTotalEnricherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    // Twenty public addresses (none in a special-purpose range).
    private static readonly string[] PublicIps = Enumerable.Range(1, 20).Select(i => $"45.{i}.{100 + i}.{7 * i}").ToArray();

    [Fact]
    public async Task FiftyIncidentsFromTwentyPublicAddressesStayWithinTheQuotaAndAreAllEnriched()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        harness.Server.Malicious(PublicIps[3], 9);
        var severities = new[] { Severity.Low, Severity.Medium, Severity.High, Severity.Critical };
        var incidents = Enumerable.Range(0, 50)
            .Select(i => (Ip: PublicIps[i % 20], Severity: severities[i % 4]))
            .ToList();

        var lookups = incidents.Select(i => harness.Intel.LookupAsync(i.Ip, i.Severity, Deadline, CancellationToken.None).AsTask()).ToList();
        IntelReport Final(int i)
        {
            var direct = lookups[i].Result;
            return direct.IsFinal ? direct : harness.Ready.LastOrDefault(r => r.Ip == incidents[i].Ip) ?? direct;
        }
        await harness.DriveAsync(() => lookups.All(l => l.IsCompleted) && Enumerable.Range(0, 50).All(i => Final(i).IsFinal));

        var calls = harness.Server.Calls;
        Assert.All(calls, c => Assert.Equal(200, c.Status)); // the fake never had to refuse one
        Assert.Equal(20, calls.Count);
        Assert.Equal(PublicIps.Order(), calls.Select(c => c.Ip).Order()); // one call per address
        foreach (var call in calls)
            Assert.True(calls.Count(c => c.At > call.At - TimeSpan.FromMinutes(1) && c.At <= call.At) <= 4,
                $"more than 4 calls in the minute before {call.At:T}");
        Assert.True(calls[^1].At - calls[0].At >= TimeSpan.FromMinutes(4), "20 calls at 4 a minute take at least 4 minutes");

        for (var i = 0; i < 50; i++)
        {
            var report = Final(i);
            Assert.Equal(IntelStatus.Found, report.Status);
            Assert.Equal(incidents[i].Ip, report.Ip);
        }
        Assert.Contains(lookups, l => l.Result.Status == IntelStatus.Pending); // some waited past their deadline
        Assert.Equal(9, Final(3).Malicious);
        Assert.Equal(0, harness.Enricher.PendingCount);
    }

    [Fact]
    public async Task WhenTheQuotaIsShortTheMostSevereIncidentsAreLookedUpFirst()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        // Spend the minute's budget, so that everything after queues.
        var warmUp = PublicIps[..4].Select(ip => harness.Intel.LookupAsync(ip, Severity.Low, Deadline, CancellationToken.None).AsTask()).ToList();
        await harness.DriveAsync(() => warmUp.All(t => t.IsCompleted));

        var low = harness.Intel.LookupAsync(PublicIps[4], Severity.Low, TimeSpan.Zero, CancellationToken.None);
        var medium = harness.Intel.LookupAsync(PublicIps[5], Severity.Medium, TimeSpan.Zero, CancellationToken.None);
        var critical = harness.Intel.LookupAsync(PublicIps[6], Severity.Critical, TimeSpan.Zero, CancellationToken.None);
        var high = harness.Intel.LookupAsync(PublicIps[7], Severity.High, TimeSpan.Zero, CancellationToken.None);
        Assert.All([await low, await medium, await critical, await high], r => Assert.Equal(IntelStatus.Pending, r.Status));
        await harness.DriveAsync(() => harness.Ready.Count >= 8);

        var order = harness.Server.Calls.Skip(4).Select(c => c.Ip).ToList();
        Assert.Equal([PublicIps[6], PublicIps[7], PublicIps[5], PublicIps[4]], order);
    }

    [Fact]
    public async Task AnAddressAskedAgainMoreUrgentlyMovesUpTheQueue()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        var warmUp = PublicIps[..4].Select(ip => harness.Intel.LookupAsync(ip, Severity.Low, Deadline, CancellationToken.None).AsTask()).ToList();
        await harness.DriveAsync(() => warmUp.All(t => t.IsCompleted));

        await harness.Intel.LookupAsync(PublicIps[4], Severity.Low, TimeSpan.Zero, CancellationToken.None);
        await harness.Intel.LookupAsync(PublicIps[5], Severity.Medium, TimeSpan.Zero, CancellationToken.None);
        await harness.Intel.LookupAsync(PublicIps[4], Severity.Critical, TimeSpan.Zero, CancellationToken.None); // a compromise, say
        await harness.DriveAsync(() => harness.Ready.Count >= 6);

        Assert.Equal([PublicIps[4], PublicIps[5]], harness.Server.Calls.Skip(4).Select(c => c.Ip));
    }

    [Fact]
    public async Task AFailingReportReadyHandlerDoesNotStopTheOthers()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        harness.Intel.ReportReady += (_, _) => throw new InvalidOperationException("a careless subscriber");
        var first = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);
        var second = await harness.Intel.LookupAsync(PublicIps[1], Severity.High, Deadline, CancellationToken.None);

        Assert.Equal(IntelStatus.Found, first.Status);
        Assert.Equal(IntelStatus.Found, second.Status);
        Assert.Equal(2, harness.Ready.Count); // the harness's own handler still heard both
        Assert.Contains(harness.Logs.Lines, l => l.Text.Contains("ReportReady handler failed"));
    }

    [Fact]
    public async Task ConcurrentLookupsOfOneAddressMakeOneCall()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        var lookups = Enumerable.Range(0, 25)
            .Select(_ => harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None).AsTask())
            .ToList();
        await harness.DriveAsync(() => lookups.All(l => l.IsCompleted));

        Assert.Single(harness.Server.Calls);
        Assert.All(lookups, l => Assert.Equal(IntelStatus.Found, l.Result.Status));
    }

    [Fact]
    public async Task ARestartServesFromTheCacheAndSpendsNoQuota()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        harness.Server.Malicious(PublicIps[0], 6);
        var first = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);
        Assert.False(first.FromCache);

        await harness.RestartAsync();
        harness.Time.Advance(TimeSpan.FromHours(23));
        var again = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);

        Assert.Single(harness.Server.Calls);
        Assert.True(again.FromCache);
        Assert.Equal(IntelStatus.Found, again.Status);
        Assert.Equal(6, again.Malicious);
        Assert.Equal(first.FetchedAt, again.FetchedAt);
        Assert.Equal(1, harness.Quota.CallsInLastDay); // the call log survived the restart too
    }

    [Fact]
    public async Task AnExpiredCacheEntryIsAskedForAgain()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        var report = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);

        Assert.Equal(2, harness.Server.Calls.Count);
        Assert.False(report.FromCache);
    }

    [Fact]
    public async Task NotFoundMeansNoDataAndIsCachedForTheShorterTtl()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        harness.Server.ThenError(PublicIps[0], 404, "NotFoundError", "IP address not found");
        var report = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);
        Assert.Equal(IntelStatus.NotFound, report.Status);
        Assert.Equal("VirusTotal has no data on this address", report.Note);

        harness.Time.Advance(TimeSpan.FromHours(3));
        Assert.True((await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None)).FromCache);
        harness.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1)); // past the 4 h of NotFoundTtl
        var later = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);

        Assert.Equal(2, harness.Server.Calls.Count);
        Assert.Equal(IntelStatus.Found, later.Status);
    }

    [Fact]
    public async Task AWrongKeySwitchesEnrichmentOffWithOneLogLineAndNoRetryStorm()
    {
        await using var harness = await VirusTotalHarness.StartAsync(apiKey: "wrong-key-must-not-leak");
        var lookups = PublicIps[..6].Select(ip => harness.Intel.LookupAsync(ip, Severity.High, Deadline, CancellationToken.None).AsTask()).ToList();
        await harness.DriveAsync(() => lookups.All(l => l.IsCompleted));
        var later = await harness.Intel.LookupAsync(PublicIps[7], Severity.High, Deadline, CancellationToken.None);

        Assert.Single(harness.Server.Calls); // one 401, then no more calls
        Assert.Equal(401, harness.Server.Calls[0].Status);
        Assert.All(lookups, l => Assert.Equal(IntelStatus.Unavailable, l.Result.Status));
        Assert.Equal(IntelStatus.Unavailable, later.Status);
        Assert.Contains("WrongCredentialsError", later.Note);
        Assert.Equal(Soar.Enrichment.VirusTotal.VirusTotalState.Disabled, harness.Enricher.State);
        var errors = harness.Logs.Lines.Where(l => l.Level >= LogLevel.Error).ToList();
        Assert.Single(errors);
        Assert.Contains("switched off", errors[0].Text);
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Text.Contains("wrong-key-must-not-leak"));
        var health = await harness.Health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("WrongCredentialsError", health.Entries["virustotal"].Description);
    }

    [Fact]
    public async Task TheKeyGoesInTheXApikeyHeaderAndNeverIntoTheLogs()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        harness.Server.Then(PublicIps[0], 503, "<html>Service Unavailable</html>", "text/html");
        await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);

        Assert.All(harness.Server.Calls, c => Assert.Equal(FakeVirusTotalServer.ValidKey, c.ApiKey));
        Assert.NotEmpty(harness.Logs.Lines); // the HTTP client does log (at Trace), with the header redacted
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Text.Contains(FakeVirusTotalServer.ValidKey));
    }

    [Fact]
    public async Task QuotaExceededWaitsForTheNextMinuteAndLosesNothing()
    {
        // Soar believes in 6 a minute; the fake allows 4: the fifth call meets a 429.
        await using var harness = await VirusTotalHarness.StartAsync(settings: new() { ["VirusTotal:RequestsPerMinute"] = "6" });
        var lookups = PublicIps[..8].Select(ip => harness.Intel.LookupAsync(ip, Severity.High, Deadline, CancellationToken.None).AsTask()).ToList();
        await harness.DriveAsync(() => harness.Ready.Select(r => r.Ip).Distinct().Count() == 8);

        var calls = harness.Server.Calls;
        var refused = Assert.Single(calls, c => c.Status == 429);
        Assert.All(calls.Where(c => c.At > refused.At), c => Assert.True(c.At >= refused.At + TimeSpan.FromMinutes(1)));
        Assert.Equal(PublicIps[..8].Order(), calls.Where(c => c.Status == 200).Select(c => c.Ip).Order());
        Assert.All(harness.Ready, r => Assert.Equal(IntelStatus.Found, r.Status));
    }

    [Fact]
    public async Task ASecondQuotaRefusalWaitsForTheNextUtcDay()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        harness.Server.DailyQuotaSpent = true;
        _ = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, TimeSpan.Zero, CancellationToken.None);
        await harness.DriveAsync(() => harness.Server.Calls.Count == 2);
        harness.Server.DailyQuotaSpent = false;
        await harness.DriveAsync(() => !harness.Ready.IsEmpty);

        var calls = harness.Server.Calls;
        Assert.Equal(3, calls.Count);
        Assert.Equal(TimeSpan.FromMinutes(1), calls[1].At - calls[0].At);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero), calls[2].At);
        Assert.Equal(IntelStatus.Found, Assert.Single(harness.Ready).Status);
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackoffUntilAnAnswerComes()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        harness.Server.ThenError(PublicIps[0], 503, "TransientError", "try again");
        harness.Server.Then(PublicIps[0], 504, "", "text/plain");
        var report = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);

        Assert.Equal([503, 504, 200], harness.Server.Calls.Select(c => c.Status));
        Assert.Equal(IntelStatus.Found, report.Status);
    }

    [Fact]
    public async Task AnAttemptThatTimesOutIsRetried()
    {
        await using var harness = await VirusTotalHarness.StartAsync(settings: new() { ["VirusTotal:RequestTimeout"] = "00:00:00.300" });
        harness.Server.Script(PublicIps[0], async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted).ContinueWith(_ => { });
            context.Response.StatusCode = 200;
        });
        var report = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);

        Assert.Equal(2, harness.Server.Calls.Count);
        Assert.Equal(IntelStatus.Found, report.Status);
        Assert.Equal(2, harness.Quota.CallsInLastDay); // the retry took its own slot
    }

    [Fact]
    public async Task ANonJsonErrorBodyAfterTheRetriesMakesTheReportUnavailableAndIsNotCached()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        for (var i = 0; i < 3; i++) harness.Server.Then(PublicIps[0], 502, "<html><body>Bad Gateway</body></html>", "text/html");
        var report = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);

        Assert.Equal(IntelStatus.Unavailable, report.Status);
        Assert.Contains("HTTP 502", report.Note);
        Assert.Equal(3, harness.Server.Calls.Count); // the first attempt and two retries
        Assert.Equal(Soar.Enrichment.VirusTotal.VirusTotalState.Degraded, harness.Enricher.State);

        var again = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);
        Assert.Equal(IntelStatus.Found, again.Status);
        Assert.Equal(Soar.Enrichment.VirusTotal.VirusTotalState.Ok, harness.Enricher.State);
    }

    [Fact]
    public async Task AnswersThatAreNotJsonOrLackAttributesDoNotBreakTheLookup()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        harness.Server.Then(PublicIps[0], 200, "not json at all", "text/plain");
        harness.Server.Then(PublicIps[1], 200, """{"data": {"id": "x", "type": "ip_address"}}""");

        var garbled = await harness.Intel.LookupAsync(PublicIps[0], Severity.High, Deadline, CancellationToken.None);
        var bare = await harness.Intel.LookupAsync(PublicIps[1], Severity.High, Deadline, CancellationToken.None);

        Assert.Equal(IntelStatus.Unavailable, garbled.Status);
        Assert.Equal(IntelStatus.Found, bare.Status);
        Assert.Null(bare.Malicious);
        Assert.Equal($"https://www.virustotal.com/gui/ip-address/{PublicIps[1]}", bare.GuiLink);
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("172.20.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.10.10")]
    [InlineData("100.64.0.9")]
    [InlineData("224.0.0.251")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("192.0.2.50")]
    [InlineData("198.51.100.1")]
    [InlineData("203.0.113.45")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::5")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::7")]
    [InlineData("::ffff:10.0.0.1")]
    public async Task InternalAddressesAreMarkedAndNeverSent(string ip)
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        var report = await harness.Intel.LookupAsync(ip, Severity.Critical, Deadline, CancellationToken.None);

        Assert.Equal(IntelStatus.InternalAddress, report.Status);
        Assert.Empty(harness.Server.Calls);
    }

    [Fact]
    public async Task SomethingThatIsNotAnAddressIsReportedAndNeverSent()
    {
        await using var harness = await VirusTotalHarness.StartAsync();
        var report = await harness.Intel.LookupAsync("evil.example/../../x", Severity.High, Deadline, CancellationToken.None);

        Assert.Equal(IntelStatus.Unavailable, report.Status);
        Assert.Equal("not an IP address", report.Note);
        Assert.Empty(harness.Server.Calls);
    }
}
