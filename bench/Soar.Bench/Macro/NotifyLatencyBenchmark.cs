using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Soar.Detection;
using Soar.Enrichment;
using Soar.Events;
using Soar.Fakes;
using Soar.Pipeline;
using Soar.Response.Outbox;

namespace Soar.Bench.Macro;

/// <summary>
/// Incident open → a local fake Discord receives the card's POST, through the whole response
/// path: the pipeline's detection stage (an already-detected alert opens the incident), the
/// SQLite outbox commit, the dispatcher, a threat-intel answer from cache, the card, and HTTP.
/// Our own 5-per-2-s ceiling is lifted (the fake does not rate-limit): this measures the path,
/// not Discord's quota. Usage: macro notify-latency [--incidents N] [--rate PER_SECOND] [--warm-up N]
/// (rate 0, the default, sends the next incident when the previous card has arrived).
/// <c>macro socket-latency</c> measures the whole way, from a line written into the syslog socket.
/// </summary>
public static class NotifyLatencyBenchmark
{
    /// <summary>A VirusTotal answer already at hand: what the cache gives for an address seen before.</summary>
    private sealed class CachedIntel() : IncidentIntel(new NotConfiguredThreatIntel(), new Soar.Response.ResponseOptions(),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<IncidentIntel>.Instance)
    {
        public override ValueTask<IntelReport> LookupAsync(Incident incident, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new IntelReport
            {
                Ip = incident.Key.Value, Status = IntelStatus.Found, Malicious = 6, Suspicious = 1, Harmless = 58, Undetected = 29,
                Reputation = -14, Asn = 64500, AsOwner = "Example Hosting Ltd", Country = "NL",
            });
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var incidents = Option(args, "--incidents", 1000);
        var warmUp = Option(args, "--warm-up", 50);
        var rate = Option(args, "--rate", 0);
        await using var discord = await FakeDiscord.StartAsync();
        var cardClock = new CardClock(discord);

        var dataDir = Directory.CreateTempSubdirectory("soar-bench-notify-");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:Tcp:Listen"] = "127.0.0.1:0",
            ["DataDir"] = dataDir.FullName,
            ["Discord:WebhookUrl"] = discord.WebhookUrl,
            ["Discord:MaxRequestsPerWindow"] = "1000000",
            ["Response:Routes:console:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IncidentIntel, CachedIntel>()
            .AddSoarPipeline(configuration, TextWriter.Null)
            .BuildServiceProvider();
        var pipeline = services.GetRequiredService<SoarPipeline>();
        pipeline.Start();

        var total = warmUp + incidents;
        var sent = new long[total];
        var ips = Enumerable.Range(0, total).Select(i => $"10.{i / 65536}.{i / 256 % 256}.{i % 256}").ToArray();
        var cards = ips.Select(cardClock.CardFor).ToArray();
        var start = DateTimeOffset.UtcNow;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            if (i == warmUp) wall.Restart();
            if (rate > 0 && i >= warmUp)
            {
                var due = TimeSpan.FromSeconds((i - warmUp) / (double)rate);
                if (due > wall.Elapsed) await Task.Delay(due - wall.Elapsed);
            }
            var match = new RuleMatch("ssh-brute-force", "SSH brute force", Severity.High, IncidentKey.SourceIp(ips[i]), 11,
                start, start.AddSeconds(10), ["root", "admin"], ["web-01"], "11 failed logins in 60 s");
            sent[i] = Stopwatch.GetTimestamp();
            await pipeline.SubmitAlertAsync(match, CancellationToken.None);
            if (rate == 0 || i < warmUp) // wait without spinning: the machine has few cores
                await cards[i].WaitAsync(TimeSpan.FromSeconds(30));
        }
        await Task.WhenAny(Task.WhenAll(cards), Task.Delay(TimeSpan.FromSeconds(60)));
        var elapsed = wall.Elapsed;
        await pipeline.StopAsync();
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        dataDir.Delete(recursive: true);

        var latencies = Enumerable.Range(warmUp, incidents).Where(i => cards[i].IsCompletedSuccessfully)
            .Select(i => Stopwatch.GetElapsedTime(sent[i], cards[i].Result).TotalMilliseconds).Order().ToArray();
        double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"notify-latency: incident open -> fake Discord POST, intel cached, {incidents} incidents, " +
            $"{(rate == 0 ? "one at a time" : $"{rate}/s")}, after {warmUp} warm-up incidents"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  delivered {latencies.Length}/{incidents} in {elapsed.TotalSeconds:0.00} s ({latencies.Length / elapsed.TotalSeconds:0} cards/s)"));
        if (latencies.Length == 0) return 1;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  latency ms: p50 {Percentile(0.50):0.00}  p90 {Percentile(0.90):0.00}  p99 {Percentile(0.99):0.00}  max {latencies[^1]:0.00}  mean {latencies.Average():0.00}"));
        return latencies.Length == incidents ? 0 : 1;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
