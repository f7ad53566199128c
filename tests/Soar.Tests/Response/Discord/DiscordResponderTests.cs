using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Soar.Events;
using Soar.Response.Outbox;

namespace Soar.Tests.Response.Discord;

/// <summary>The Discord responder behind the real outbox, against the fake Discord server.</summary>
public sealed class DiscordResponderTests : IAsyncLifetime
{
    private FakeDiscord _discord = null!;
    private ResponseHarness? _harness;

    public async Task InitializeAsync() => _discord = await FakeDiscord.StartAsync();

    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
        await _discord.DisposeAsync();
    }

    private ResponseHarness Start(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Discord:WebhookUrl"] = _discord.WebhookUrl,
            ["Discord:EditInterval"] = "00:00:00.400",
        };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        _harness = ResponseHarness.Create(settings);
        _harness.Start();
        return _harness;
    }

    private static JsonObject Embed(FakeDiscord.Received request) => request.Body!["embeds"]![0]!.AsObject();

    private static string Field(JsonObject embed, string name) =>
        embed["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == name)!["value"]!.GetValue<string>();

    [Fact]
    public async Task ANewIncidentIsPostedWithWaitTrueAndNoMentionsAllowed()
    {
        var harness = Start();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make()));
        await _discord.WaitForAsync(d => d.Posts.Count == 1);

        var post = _discord.Posts[0];
        Assert.Contains("wait=true", post.Query);
        Assert.Empty(post.Body!["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Equal("SSH brute force — 203.0.113.9", Embed(post)["title"]!.GetValue<string>());
        await harness.WaitForStateAsync(rows => rows.All(r => r.State == OutboxState.Delivered));
    }

    [Fact]
    public async Task UpdatesEditTheSameMessageAtMostOncePerInterval()
    {
        var harness = Start();
        var incident = TestIncidents.Make();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, incident));
        await _discord.WaitForAsync(d => d.Posts.Count == 1);
        for (var i = 1; i <= 20; i++)
        {
            await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Updated, incident with { Attempts = 27 + i }));
            await Task.Delay(25);
        }
        await _discord.WaitForAsync(d => d.Edits.Any(e => Field(Embed(e), "Failures") == "47"));

        var messageId = _discord.Messages.Keys.Single();
        Assert.Single(_discord.Posts);
        Assert.All(_discord.Edits, e => Assert.EndsWith($"/messages/{messageId}", e.Path));
        // 20 updates, a 0.4 s interval: the outbox coalesced them into a few edits, spaced by the interval.
        Assert.InRange(_discord.Edits.Count, 1, 10);
        var times = new[] { _discord.Posts[0].At }.Concat(_discord.Edits.Select(e => e.At)).ToList();
        for (var i = 1; i < times.Count; i++) Assert.True(times[i] - times[i - 1] >= TimeSpan.FromMilliseconds(380), $"edits {i - 1} and {i} too close");
        Assert.Equal("47", Field(_discord.Messages[messageId]["embeds"]![0]!.AsObject(), "Failures"));
    }

    [Fact]
    public async Task AnEscalationPostsAFreshCardAndTheOldCardPointsToIt()
    {
        var harness = Start(new() { ["Discord:CriticalRoleId"] = "4242" });
        var incident = TestIncidents.Make();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, incident));
        await _discord.WaitForAsync(d => d.Posts.Count == 1);
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Escalated, TestIncidents.Escalate(incident, Severity.Critical)));
        await _discord.WaitForAsync(d => d.Posts.Count == 2 && d.Edits.Count == 1);

        var first = _discord.Posts[0].Body!;
        var second = _discord.Posts[1].Body!;
        Assert.Null(first["content"]); // high: no mention
        Assert.Equal("<@&4242> critical incident", second["content"]!.GetValue<string>());
        Assert.Equal("4242", second["allowed_mentions"]!["roles"]![0]!.GetValue<string>());
        Assert.Empty(second["allowed_mentions"]!["parse"]!.AsArray());
        Assert.StartsWith("Escalated · ", Embed(_discord.Posts[1])["title"]!.GetValue<string>());
        Assert.Equal(0xE74C3C, Embed(_discord.Posts[1])["color"]!.GetValue<int>());

        var firstId = _discord.Messages.Keys.Order().First();
        var secondId = _discord.Messages.Keys.Order().Last();
        Assert.EndsWith($"/messages/{firstId}", _discord.Edits[0].Path);
        var pointer = Embed(_discord.Edits[0])["description"]!.GetValue<string>();
        Assert.Contains($"https://discord.com/channels/555/777/{secondId}", pointer);
    }

    [Fact]
    public async Task AResolvedIncidentEditsItsCardToSaySo()
    {
        var harness = Start();
        var incident = TestIncidents.Make();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, incident));
        await _discord.WaitForAsync(d => d.Posts.Count == 1);
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Resolved, incident with { Status = IncidentStatus.Resolved }));
        await _discord.WaitForAsync(d => d.Edits.Count == 1);

        var card = Embed(_discord.Edits[0]);
        Assert.StartsWith("Resolved · SSH brute force", card["title"]!.GetValue<string>());
        Assert.Equal("resolved", Field(card, "Status"));
        Assert.Single(_discord.Posts);
    }

    [Fact]
    public async Task ACardDeletedInDiscordIsPostedAgainOnTheNextChange()
    {
        var harness = Start();
        var incident = TestIncidents.Make();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, incident));
        await _discord.WaitForAsync(d => d.Posts.Count == 1);
        _discord.Messages.Clear(); // a moderator deleted the card
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Updated, incident with { Attempts = 50 }));
        await _discord.WaitForAsync(d => d.Posts.Count == 2);

        Assert.Contains(_discord.Requests, r => r.Method == "PATCH" && r.Status == 404);
        Assert.Equal("50", Field(Embed(_discord.Posts[1]), "Failures"));
        await harness.WaitForStateAsync(rows => rows.Where(r => r.Responder == "discord").All(r => r.State == OutboxState.Delivered));
        Assert.Equal(ResponderState.Healthy, harness.Health.Get("discord").State);
    }

    [Fact]
    public async Task A429IsWaitedOutAndEveryCardStillArrives()
    {
        _discord.Limit = 2;
        _discord.Window = TimeSpan.FromSeconds(1);
        var harness = Start(new() { ["Discord:MaxRequestsPerWindow"] = "50" }); // our own ceiling out of the way
        for (var i = 1; i <= 6; i++)
            await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: i, ip: $"203.0.113.{i}")));
        await _discord.WaitForAsync(d => d.Posts.Count == 6);

        // The headers announce the empty bucket: the client waits instead of earning 429s.
        Assert.Equal(0, _discord.TooManyRequests);
        await harness.WaitForStateAsync(rows => rows.Count(r => r.Responder == "discord" && r.State == OutboxState.Delivered) == 6);
    }

    [Fact]
    public async Task WithoutHeadersA429IsHonouredAndTheNextRequestWaitsForRetryAfter()
    {
        _discord.Limit = 2;
        _discord.Window = TimeSpan.FromSeconds(1);
        _discord.SendRateLimitHeaders = false;
        var harness = Start(new() { ["Discord:MaxRequestsPerWindow"] = "50" });
        for (var i = 1; i <= 5; i++)
            await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: i, ip: $"203.0.113.{i}")));
        await _discord.WaitForAsync(d => d.Posts.Count == 5);

        var requests = _discord.Requests.ToList();
        Assert.True(_discord.TooManyRequests >= 1);
        for (var i = 0; i < requests.Count - 1; i++)
        {
            if (requests[i].Status != 429) continue;
            var waited = requests[i + 1].At - requests[i].At;
            Assert.True(waited >= TimeSpan.FromSeconds(requests[i].RetryAfter!.Value) - TimeSpan.FromMilliseconds(20),
                $"a request came {waited.TotalMilliseconds} ms after a 429 that asked for {requests[i].RetryAfter} s");
        }
        // No retry storm: 429s stay a small fraction of the requests.
        Assert.True(_discord.TooManyRequests <= 3, $"{_discord.TooManyRequests} 429s");
    }

    [Fact]
    public async Task OurOwnCeilingKeepsFiveRequestsPerTwoSecondsWithoutAnyHeaders()
    {
        _discord.Limit = 1000; // Discord says nothing; we must still behave
        _discord.SendRateLimitHeaders = false;
        var harness = Start();
        for (var i = 1; i <= 8; i++)
            await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: i, ip: $"203.0.113.{i}")));
        await _discord.WaitForAsync(d => d.Posts.Count == 8, TimeSpan.FromSeconds(30));

        var times = _discord.Requests.Select(r => r.At).Order().ToList();
        for (var i = 5; i < times.Count; i++)
            Assert.True(times[i] - times[i - 5] >= TimeSpan.FromSeconds(1.95), $"6 requests within 2 s at request {i}");
    }

    [Fact]
    public async Task AnOutageIsRetriedWithBackoffUntilDiscordIsBack()
    {
        _discord.FailNext = 3;
        var harness = Start();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make()));
        await _discord.WaitForAsync(d => d.Posts.Count == 1);

        Assert.Equal(3, _discord.Requests.Count(r => r.Status == 503));
        await harness.WaitForStateAsync(rows => rows.Single(r => r.Responder == "discord").State == OutboxState.Delivered);
        var row = harness.Store.All().Single(r => r.Responder == "discord");
        Assert.Equal(4, row.Attempts);
        Assert.Equal(ResponderState.Healthy, harness.Health.Get("discord").State);
        Assert.Contains(harness.Logs.Entries, e => e.Text.Contains("Discord answered 503"));
    }

    [Fact]
    public async Task DuringAnOutageTheResponderBacksOffAsAWholeInsteadOfTryingEveryCard()
    {
        _discord.FailNext = int.MaxValue;
        var harness = Start(new() { ["Discord:MaxRequestsPerWindow"] = "1000" });
        for (var i = 1; i <= 10; i++)
            await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: i, ip: $"203.0.113.{i}")));
        await Task.Delay(1500);

        // Backoff 50 ms doubling to 200 ms (the harness's settings): about 9 requests in 1.5 s,
        // where trying each of the 10 waiting cards on its own schedule would make dozens.
        Assert.InRange(_discord.Requests.Count, 2, 12);
        Assert.Equal(ResponderState.Retrying, harness.Health.Get("discord").State);
        _discord.FailNext = 0;
        await _discord.WaitForAsync(d => d.Posts.Count == 10);
    }

    [Theory]
    [InlineData(404, 10015)]
    [InlineData(401, 0)]
    public async Task AnUnknownWebhookOrRefusedTokenStopsDeliveryAfterOneRequest(int status, int code)
    {
        _discord.ForcedError = (status, code);
        var harness = Start();
        for (var i = 1; i <= 4; i++)
            await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: i, ip: $"203.0.113.{i}")));
        await harness.WaitForStateAsync(rows => rows.Any(r => r.Responder == "discord" && r.State == OutboxState.Failed));
        await Task.Delay(500); // time for a retry storm, if there were one

        Assert.Single(_discord.Requests);
        var health = harness.Health.Get("discord");
        Assert.Equal(ResponderState.Disabled, health.State);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture) == "404" ? "10015" : "401", health.Detail);
        var discordRows = harness.Store.All().Where(r => r.Responder == "discord").ToList();
        Assert.Equal(1, discordRows.Count(r => r.State == OutboxState.Failed));
        Assert.Equal(3, discordRows.Count(r => r.State == OutboxState.Pending)); // kept for after the fix
        Assert.Contains(harness.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical && e.Text.Contains("DISABLED"));

        var report = await harness.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries["responders"];
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, entry.Status);
        Assert.Contains("discord DISABLED", entry.Description);
        Assert.Equal("disabled", entry.Data["discord"]);
        Assert.Equal(3L, entry.Data["outbox_pending"]);
        Assert.DoesNotContain(FakeDiscord.Token, entry.Description);
    }

    [Fact]
    public async Task TheWebhookTokenNeverAppearsInLogs()
    {
        _discord.FailNext = 2;
        var harness = Start();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make()));
        await _discord.WaitForAsync(d => d.Posts.Count == 1);
        _discord.ForcedError = (404, 10015);
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 2, ip: "203.0.113.2")));
        await harness.WaitForStateAsync(rows => rows.Any(r => r.State == OutboxState.Failed));

        Assert.NotEmpty(harness.Logs.Entries);
        Assert.DoesNotContain(FakeDiscord.Token, harness.Logs.All);
        Assert.DoesNotContain(FakeDiscord.Token, string.Join("\n", harness.Store.All().Select(r => r.LastError)));
        Assert.DoesNotContain(FakeDiscord.Token, harness.Health.Get("discord").Detail);
    }

    [Fact]
    public async Task AttackerNamesShowAsTextAndNeverFormatMentionOrLink()
    {
        var longUser = new string('A', 5000);
        string[] users = ["@everyone", "**bold**", "[x](http://evil)", "<@&123456>", "```code```", "@here", longUser];
        var harness = Start();
        var incident = TestIncidents.Make(users: users, hosts: ["@everyone", "host||spoiler||"]);
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, incident));
        await _discord.WaitForAsync(d => d.Posts.Count == 1);

        Assert.DoesNotContain(_discord.Requests, r => r.Status == 400); // the long name did not break a limit
        var embed = Embed(_discord.Posts[0]);
        var (shown, active) = DiscordRendering.Render(Field(embed, "Targeted users"));
        Assert.Empty(active);
        Assert.Contains("@everyone", shown);
        Assert.Contains("**bold**", shown);
        Assert.Contains("[x](http://evil)", shown);
        Assert.Contains("<@&123456>", shown);
        Assert.Contains("```code```", shown);
        Assert.Contains("AAAA…", shown); // the 5,000-character user, cut visibly
        Assert.DoesNotContain(new string('A', 100), shown);
        var (hostsShown, hostsActive) = DiscordRendering.Render(Field(embed, "Target hosts"));
        Assert.Empty(hostsActive);
        Assert.Equal("@everyone, host||spoiler||", hostsShown);
        Assert.Empty(_discord.Posts[0].Body!["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Fact]
    public async Task AUserKeyedIncidentIsTitledByTheEscapedUser()
    {
        var harness = Start();
        var incident = TestIncidents.Make(key: IncidentKey.User("**root**"), title: "Password spraying");
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, incident));
        await _discord.WaitForAsync(d => d.Posts.Count == 1);

        var (title, active) = DiscordRendering.Render(Embed(_discord.Posts[0])["title"]!.GetValue<string>());
        Assert.Equal("Password spraying — user **root**", title);
        Assert.Empty(active);
        Assert.Null(Embed(_discord.Posts[0])["url"]);
    }
}
