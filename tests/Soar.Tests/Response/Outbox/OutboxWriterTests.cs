using Microsoft.Extensions.DependencyInjection;
using Soar.Events;
using Soar.Response.Outbox;
using Soar.Storage.Sqlite;

namespace Soar.Tests.Response.Outbox;

/// <summary>The outbox as a participant of the incident transaction (the dispatcher is not running here).</summary>
public sealed class OutboxWriterTests : IAsyncLifetime
{
    private ResponseHarness _harness = null!;
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"soar-writer-{Guid.NewGuid():N}.jsonl");

    public Task InitializeAsync()
    {
        _harness = ResponseHarness.Create(new()
        {
            ["Response:File:Path"] = _file,
            ["Response:Webhook:Url"] = "http://127.0.0.1:9/hook",
            ["Response:Routes:file:MinSeverity"] = "high",
            ["Response:Routes:webhook:Rules:0"] = "ssh-compromise",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        System.IO.File.Delete(_file);
    }

    private void InTransaction(IncidentChange change, bool commit)
    {
        var database = _harness.Services.GetRequiredService<SoarDatabase>();
        var participant = _harness.Services.GetServices<IIncidentTransactionParticipant>().Single();
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        participant.OnIncidentChange(connection, transaction, change);
        if (commit) transaction.Commit();
        else transaction.Rollback();
    }

    [Fact]
    public void ANotificationExistsOnlyIfTheIncidentChangeWasCommitted()
    {
        InTransaction(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 1)), commit: false);
        Assert.Empty(_harness.Store.All());

        InTransaction(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 2)), commit: true);
        var rows = _harness.Store.All();
        Assert.Equal(["console", "file"], rows.Select(r => r.Responder).Order());
        Assert.All(rows, r => Assert.Equal(OutboxState.Pending, r.State));
        Assert.All(rows, r => Assert.Equal(2, IncidentSnapshotJson.Deserialize(r.Payload).Id));
    }

    [Fact]
    public void RoutesGiveEachResponderOnlyTheIncidentsItTakes()
    {
        InTransaction(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 1, severity: Severity.Medium)), commit: true);
        InTransaction(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 2, severity: Severity.High)), commit: true);
        InTransaction(new IncidentChange(IncidentChangeKind.Opened,
            TestIncidents.Make(id: 3, severity: Severity.Critical, rule: "ssh-compromise")), commit: true);

        string Of(string responder) => string.Join(",", _harness.Store.All().Where(r => r.Responder == responder).Select(r => r.IncidentId));
        Assert.Equal("1,2,3", Of("console"));
        Assert.Equal("2,3", Of("file"));     // MinSeverity high
        Assert.Equal("3", Of("webhook"));    // only ssh-compromise
    }

    [Fact]
    public void UpdatesJoinTheRowStillPendingForTheirIncident()
    {
        var incident = TestIncidents.Make(id: 1);
        InTransaction(new IncidentChange(IncidentChangeKind.Opened, incident), commit: true);
        for (var i = 1; i <= 5; i++)
            InTransaction(new IncidentChange(IncidentChangeKind.Updated, incident with { Attempts = 27 + i }), commit: true);
        var escalated = TestIncidents.Escalate(incident, Severity.Critical);
        InTransaction(new IncidentChange(IncidentChangeKind.Escalated, escalated), commit: true);
        InTransaction(new IncidentChange(IncidentChangeKind.Updated, escalated with { Attempts = 99 }), commit: true);

        var file = _harness.Store.All().Where(r => r.Responder == "file").ToList();
        Assert.Equal(["opened", "escalated"], file.Select(r => r.Kind));
        Assert.Equal(32, IncidentSnapshotJson.Deserialize(file[0].Payload).Attempts);
        Assert.Equal(99, IncidentSnapshotJson.Deserialize(file[1].Payload).Attempts);
        // The console prints openings and escalations only: no rows for updates.
        Assert.Equal(["opened", "escalated"], _harness.Store.All().Where(r => r.Responder == "console").Select(r => r.Kind));
    }

    [Fact]
    public void TheSnapshotRoundTripsEveryField()
    {
        var incident = TestIncidents.Escalate(TestIncidents.Make(users: ["a\u202e", "@everyone"]), Severity.Critical);
        var back = IncidentSnapshotJson.Deserialize(IncidentSnapshotJson.Serialize(incident));
        Assert.Equal(incident.Key, back.Key);
        Assert.Equal(incident.Findings, back.Findings);
        Assert.Equal(incident.Users, back.Users);
        Assert.Equal(incident.Hosts, back.Hosts);
        Assert.Equal((incident.Attempts, incident.FirstSeen, incident.LastSeen, incident.OpenedAt, incident.Status, incident.Severity),
            (back.Attempts, back.FirstSeen, back.LastSeen, back.OpenedAt, back.Status, back.Severity));
    }
}

/// <summary>Intel that arrives after the card went out updates the card, or escalates the incident when it raises it.</summary>
public sealed class OutboxIntelRefreshTests
{
    /// <summary>Pending until the test says the report is in.</summary>
    private sealed class SwitchableIntel() : IncidentIntel(new Soar.Enrichment.NotConfiguredThreatIntel(), new Soar.Response.ResponseOptions(),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<IncidentIntel>.Instance)
    {
        public volatile Soar.Enrichment.IntelStatus Status = Soar.Enrichment.IntelStatus.Pending;

        /// <summary>Malicious verdicts once found: below the policy's 5 by default, so the severity stands.</summary>
        public volatile int Malicious = 2;

        public Soar.Enrichment.IntelReport Report(string ip) => new()
        {
            Ip = ip, Status = Status, Malicious = Status == Soar.Enrichment.IntelStatus.Found ? Malicious : null,
        };

        public override ValueTask<Soar.Enrichment.IntelReport> LookupAsync(Incident incident, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Report(incident.Key.Value));
    }

    private static string[] Kinds(ResponseHarness harness, string responder) =>
        [.. harness.Store.All().Where(r => r.Responder == responder).Select(r => r.Kind)];

    [Fact]
    public async Task IntelThatRaisesTheSeverityAtDeliveryEscalatesTheIncidentOnce()
    {
        var intel = new SwitchableIntel { Status = Soar.Enrichment.IntelStatus.Found, Malicious = 9 };
        var path = Path.Combine(Path.GetTempPath(), $"soar-raise-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using var harness = ResponseHarness.Create(new() { ["Response:File:Path"] = path },
                configure: s => s.AddSingleton<IncidentIntel>(intel));
            harness.Start();
            await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(severity: Severity.High)));
            await harness.WaitForStateAsync(rows => rows.Count == 4 && rows.All(r => r.State == OutboxState.Delivered));
            await Task.Delay(300); // both responders noticed the raise: still one escalation, no storm

            Assert.Equal(["opened", "escalated"], Kinds(harness, "console"));
            Assert.Equal(["opened", "escalated"], Kinds(harness, "file"));
            var stored = harness.Services.GetRequiredService<Soar.Storage.IIncidentQueries>().Get(1)!;
            Assert.Equal(Severity.Critical, stored.Incident.Severity);
            Assert.Contains("VirusTotal: 9 engines say malicious", stored.Incident.IntelReason);
            Assert.Single(stored.Audit, a => a.Change == "escalated");
            var console = harness.Console.ToString();
            Assert.Contains("ESCALATED · CRITICAL", console);
            Assert.Contains("VirusTotal 9 malicious, 0 suspicious of 9 engines", console);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public async Task ALateReportThatRaisesTheSeverityIsOneEscalationNotAnUpdate()
    {
        var intel = new SwitchableIntel { Malicious = 9 };
        var path = Path.Combine(Path.GetTempPath(), $"soar-late-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using var harness = ResponseHarness.Create(new() { ["Response:File:Path"] = path },
                configure: s => s.AddSingleton<IncidentIntel>(intel));
            harness.Start();
            await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(severity: Severity.High)));
            await harness.WaitForStateAsync(rows => rows.Count == 2 && rows.All(r => r.State == OutboxState.Delivered));
            Assert.Contains("VirusTotal lookup pending", harness.Console.ToString());

            intel.Status = Soar.Enrichment.IntelStatus.Found;
            var late = harness.Services.GetRequiredService<LateIntel>();
            late.OnReport(intel.Report("203.0.113.9"));
            late.OnReport(intel.Report("203.0.113.9")); // reported again: nothing more
            await harness.WaitForStateAsync(rows => rows.Count == 4 && rows.All(r => r.State == OutboxState.Delivered));
            await Task.Delay(300);

            Assert.Equal(["opened", "escalated"], Kinds(harness, "console"));
            Assert.Equal(["opened", "escalated"], Kinds(harness, "file"));
            Assert.Equal(Severity.Critical, harness.Services.GetRequiredService<Soar.Storage.IIncidentQueries>().Get(1)!.Incident.Severity);
            Assert.Contains("VirusTotal 9 malicious", harness.Console.ToString());
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public async Task AReportArrivingLateUpdatesEveryResponderThatTakesUpdates()
    {
        var path = Path.Combine(Path.GetTempPath(), $"soar-refresh-{Guid.NewGuid():N}.jsonl");
        var intel = new SwitchableIntel();
        try
        {
            await using (var harness = ResponseHarness.Create(new() { ["Response:File:Path"] = path },
                             configure: s => s.AddSingleton<IncidentIntel>(intel)))
            {
                harness.Start();
                await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(ip: "203.0.113.9")));
                await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 2, ip: "203.0.113.99")));
                await harness.WaitForStateAsync(rows => rows.All(r => r.State == OutboxState.Delivered));

                intel.Status = Soar.Enrichment.IntelStatus.Found;
                var writer = harness.Services.GetRequiredService<OutboxWriter>();
                Assert.Equal(1, writer.RefreshIntel("203.0.113.9")); // the file; the console takes no updates
                Assert.Equal(0, writer.RefreshIntel("203.0.113.9")); // a second report changes nothing more
                await harness.WaitForStateAsync(rows => rows.Count == 5 && rows.All(r => r.State == OutboxState.Delivered));
            }

            var lines = (await System.IO.File.ReadAllLinesAsync(path)).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(3, lines.Count);
            var refreshed = lines[2];
            Assert.Equal("updated", refreshed.GetProperty("change").GetString());
            Assert.Equal("203.0.113.9", refreshed.GetProperty("incident").GetProperty("key").GetProperty("src_ip").GetString());
            Assert.Equal("found", refreshed.GetProperty("intel").GetProperty("status").GetString());
            Assert.Equal(2, refreshed.GetProperty("intel").GetProperty("malicious").GetInt32());
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public async Task AReportForCardsThatAlreadyHadTheirIntelRefreshesNothing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"soar-norefresh-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using var harness = ResponseHarness.Create(new() { ["Response:File:Path"] = path },
                configure: s => s.AddSingleton<IncidentIntel>(new SwitchableIntel { Status = Soar.Enrichment.IntelStatus.Found }));
            harness.Start();
            await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(ip: "203.0.113.9")));
            await harness.WaitForStateAsync(rows => rows.All(r => r.State == OutboxState.Delivered));

            // The file takes updates, yet nothing is written: its card already had the verdict.
            Assert.Equal(0, harness.Services.GetRequiredService<OutboxWriter>().RefreshIntel("203.0.113.9"));
            Assert.Equal(2, harness.Store.All().Count);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
