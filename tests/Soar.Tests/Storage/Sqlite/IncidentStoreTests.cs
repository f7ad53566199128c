using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Soar.Detection;
using Soar.Events;
using Soar.Storage;
using Soar.Storage.Sqlite;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Storage.Sqlite;

public sealed class IncidentStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("soar-store-").FullName;

    internal static Incident Sample(long id, string ip, Severity severity = Severity.High, string rule = "ssh-bruteforce") => new()
    {
        Id = id,
        Key = IncidentKey.SourceIp(ip),
        Status = IncidentStatus.Open,
        Findings = [new Finding(rule, "SSH brute force", severity, 11, T0, T0.AddSeconds(10), "more than 10")],
        Users = ["root", "admin"],
        Hosts = ["vm"],
        Attempts = 11,
        FirstSeen = T0,
        LastSeen = T0.AddSeconds(10),
        OpenedAt = T0.AddSeconds(10),
    };

    private sealed class OutboxLike(bool fail) : IIncidentTransactionParticipant
    {
        public void OnIncidentChange(SqliteConnection connection, SqliteTransaction transaction, IncidentChange change)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "CREATE TABLE IF NOT EXISTS outbox_test (incident_id INTEGER); INSERT INTO outbox_test VALUES ($id)";
            command.Parameters.AddWithValue("$id", change.Incident.Id);
            command.ExecuteNonQuery();
            if (fail) throw new InvalidOperationException("outbox full");
        }
    }

    private IncidentStore Store(params IIncidentTransactionParticipant[] participants) =>
        new(new SoarDatabase(new SoarDatabaseOptions { DataDir = _dir }, IncidentStore.Migrations), participants,
            new FakeTimeProvider(T0.AddDays(1)));

    [Fact]
    public void AnIncidentReadsBackAsWrittenWithItsAuditTrail()
    {
        using var store = Store();
        var incident = Sample(1, "203.0.113.1");
        store.Record(new IncidentChange(IncidentChangeKind.Opened, incident, "opened"));
        var escalated = incident with
        {
            Findings = [.. incident.Findings, new Finding("ssh-compromise", "Compromise", Severity.Critical, 6, T0, T0.AddSeconds(20), "x")],
            LastSeen = T0.AddSeconds(20),
        };
        store.Record(new IncidentChange(IncidentChangeKind.Escalated, escalated, "escalated high → critical"));

        var details = store.Get(1)!;
        Assert.Equal(Severity.Critical, details.Incident.Severity);
        Assert.Equal(["root", "admin"], details.Incident.Users);
        Assert.Equal(T0.AddSeconds(20), details.Incident.LastSeen);
        Assert.Equal(["opened", "escalated"], details.Audit.Select(a => a.Change));
        Assert.Equal(T0.AddSeconds(20), details.Audit[1].At);
        Assert.Equal(T0.AddDays(1), details.Audit[1].RecordedAt);
        Assert.Null(store.Get(2));
    }

    private sealed class Recording : IIncidentTransactionParticipant
    {
        public List<IncidentChange> Changes { get; } = [];

        public void OnIncidentChange(SqliteConnection connection, SqliteTransaction transaction, IncidentChange change) => Changes.Add(change);
    }

    [Fact]
    public void ASeverityRaisedByIntelIsStoredOnceAuditedAndOutlivesLaterUpdates()
    {
        var outbox = new Recording();
        using var store = Store(outbox);
        var incident = Sample(1, "203.0.113.1");
        store.Record(new IncidentChange(IncidentChangeKind.Opened, incident, "opened by ssh-bruteforce"));
        const string reason = "critical: SSH brute force is high, raised one level: VirusTotal: 9 engines say malicious";

        Assert.True(store.RaiseSeverity(1, Severity.Critical, reason));
        Assert.False(store.RaiseSeverity(1, Severity.Critical, reason)); // noticed again by another delivery: nothing
        Assert.False(store.RaiseSeverity(1, Severity.High, "lower"));
        // Detection goes on with its own snapshot (high): the raise stays, and goes with the change.
        store.Record(new IncidentChange(IncidentChangeKind.Updated, incident with { Attempts = 12 }));

        var stored = store.Get(1)!;
        Assert.Equal(Severity.Critical, stored.Incident.Severity);
        Assert.Equal(Severity.High, stored.Incident.DetectedSeverity);
        Assert.Equal(reason, stored.Incident.IntelReason);
        Assert.Equal([1L], store.List(new IncidentFilter { Severity = Severity.Critical }).Select(i => i.Id));
        Assert.Equal(["opened", "escalated"], stored.Audit.Select(a => a.Change));
        Assert.Equal($"escalated high → critical by threat intel: {reason}", stored.Audit[1].Detail);
        Assert.Equal([IncidentChangeKind.Opened, IncidentChangeKind.Escalated, IncidentChangeKind.Updated], outbox.Changes.Select(c => c.Kind));
        Assert.All(outbox.Changes.Skip(1), c => Assert.Equal(Severity.Critical, c.Incident.Severity));
        // Detection restores what it found itself, or the same verdict would raise it twice.
        Assert.Equal(Severity.High, Assert.Single(store.LoadOpen().Open).Severity);
    }

    [Fact]
    public void AResolvedIncidentIsNotRaised()
    {
        using var store = Store();
        store.Record(new IncidentChange(IncidentChangeKind.Resolved, Sample(1, "203.0.113.1") with { Status = IncidentStatus.Resolved }));

        Assert.False(store.RaiseSeverity(1, Severity.Critical, "late"));
        Assert.Equal(Severity.High, store.Get(1)!.Incident.Severity);
    }

    [Fact]
    public void TheAuditTrailKeepsTheLifecycleNotEveryAttempt()
    {
        using var store = Store();
        var incident = Sample(1, "203.0.113.1");
        store.Record(new IncidentChange(IncidentChangeKind.Opened, incident, "opened by ssh-bruteforce"));
        for (var i = 1; i <= 500; i++)
            store.Record(new IncidentChange(IncidentChangeKind.Updated, incident with { Attempts = 11 + i }));
        store.Record(new IncidentChange(IncidentChangeKind.Updated, incident with { Attempts = 512 }, "finding ssh-password-spray (high): 5 users"));
        store.Record(new IncidentChange(IncidentChangeKind.Escalated, incident with { Attempts = 513 }, "escalated high → critical"));
        store.Record(new IncidentChange(IncidentChangeKind.Resolved, incident with { Attempts = 513, Status = IncidentStatus.Resolved }));
        store.RecordNotification(1, T0.AddSeconds(10), delivered: true, Severity.Critical, "discord: escalated delivered");
        store.RecordNotification(1, T0.AddSeconds(10), delivered: false, Severity.Critical, "webhook: opened failed: 400");

        var details = store.Get(1)!;
        Assert.Equal(513, details.Incident.Attempts); // every attempt still counts in the incident itself
        Assert.Equal(["opened", "finding", "escalated", "resolved", "notified", "delivery_failed"], details.Audit.Select(a => a.Change));
        Assert.Equal("resolved: 513 attempts, last seen 2026-11-26T10:00:10.0000000Z", details.Audit[3].Detail);
    }

    [Fact]
    public async Task AuditEntriesOlderThanTheRetentionArePurgedAtStartUpAndThenDaily()
    {
        var clock = new FakeTimeProvider(T0);
        using var store = new IncidentStore(new SoarDatabase(new SoarDatabaseOptions { DataDir = _dir }, IncidentStore.Migrations), [], clock);
        store.Record(new IncidentChange(IncidentChangeKind.Opened, Sample(1, "203.0.113.1"), "day 0"));
        clock.Advance(TimeSpan.FromDays(20));
        store.Record(new IncidentChange(IncidentChangeKind.Opened, Sample(2, "203.0.113.2"), "day 20"));
        clock.Advance(TimeSpan.FromDays(11));
        var retention = new AuditRetention(store, new StorageOptions(), clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditRetention>.Instance);

        async Task UntilAsync(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(10);
        }

        await retention.StartAsync(CancellationToken.None); // day 31: the default keeps 30 days
        await UntilAsync(() => store.Get(1)!.Audit.Count == 0);
        Assert.Empty(store.Get(1)!.Audit);
        Assert.Single(store.Get(2)!.Audit);

        await Task.Delay(50); // the service now waits a day
        Assert.Single(store.Get(2)!.Audit);
        clock.Advance(AuditRetention.Interval * 20); // day 51: the daily purge takes day 20's
        await UntilAsync(() => store.Get(2)!.Audit.Count == 0);
        await retention.StopAsync(CancellationToken.None);
        Assert.Empty(store.Get(2)!.Audit);
        Assert.NotNull(store.Get(1)); // incidents stay
    }

    [Fact]
    public void ParticipantsWriteInTheSameTransactionAndTheirFailureUndoesTheChange()
    {
        using (var store = Store(new OutboxLike(fail: false)))
            store.Record(new IncidentChange(IncidentChangeKind.Opened, Sample(1, "203.0.113.1")));
        using (var failing = Store(new OutboxLike(fail: true)))
        {
            Assert.Throws<InvalidOperationException>(() =>
                failing.Record(new IncidentChange(IncidentChangeKind.Opened, Sample(2, "203.0.113.2"))));
            Assert.NotNull(failing.Get(1));
            Assert.Null(failing.Get(2)); // rolled back with the outbox row
        }
        using var read = Store();
        using var connection = new SoarDatabase(new SoarDatabaseOptions { DataDir = _dir }, []).Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT group_concat(incident_id) FROM outbox_test";
        Assert.Equal("1", count.ExecuteScalar());
    }

    [Fact]
    public void ListFiltersByStatusSeverityRuleAndSinceAndPages()
    {
        using var store = Store();
        for (var i = 1; i <= 5; i++)
            store.Record(new IncidentChange(IncidentChangeKind.Opened,
                Sample(i, $"203.0.113.{i}", i % 2 == 0 ? Severity.Low : Severity.High, i == 3 ? "ssh-scanner" : "ssh-bruteforce")
                    with { LastSeen = T0.AddMinutes(i) }));
        store.Record(new IncidentChange(IncidentChangeKind.Resolved, Sample(5, "203.0.113.5") with
        {
            Status = IncidentStatus.Resolved, LastSeen = T0.AddMinutes(5),
        }));

        Assert.Equal([5L, 4, 3, 2, 1], store.List(new IncidentFilter()).Select(i => i.Id));
        Assert.Equal([4L, 3, 2, 1], store.List(new IncidentFilter { Status = IncidentStatus.Open }).Select(i => i.Id));
        Assert.Equal([4L, 2], store.List(new IncidentFilter { Severity = Severity.Low }).Select(i => i.Id));
        Assert.Equal([3L], store.List(new IncidentFilter { Rule = "ssh-scanner" }).Select(i => i.Id));
        Assert.Equal([5L, 4], store.List(new IncidentFilter { Since = T0.AddMinutes(4) }).Select(i => i.Id));
        Assert.Equal([3L, 2], store.List(new IncidentFilter { Offset = 2, Limit = 2 }).Select(i => i.Id));
    }

    [Fact]
    public void AnAttackerWhoKeepsGoingAfterARestartUpdatesTheSameIncident()
    {
        var parser = Lines.Parser();
        var changes = new List<IncidentChange>();
        void Run(int from, int count)
        {
            using var store = Store();
            var tracker = new IncidentTracker();
            var (open, nextId) = store.LoadOpen();
            tracker.Restore(open, nextId);
            var detector = new Detector(Soar.Detection.Rules.RuleLoader.LoadDefaults(), tracker);
            changes.Clear();
            for (var i = from; i < from + count; i++)
            {
                parser.Parse(Lines.FailedPassword(T0.AddSeconds(i), "203.0.113.7", port: 40000 + i), out var e);
                detector.Observe(e!, changes);
            }
            foreach (var change in changes) store.Record(change);
        }

        Run(0, 15);   // opens incident 1
        Run(15, 5);   // "after a restart"
        Assert.DoesNotContain(changes, c => c.Kind == IncidentChangeKind.Opened);
        using var store = Store();
        var incident = Assert.Single(store.List(new IncidentFilter()));
        Assert.Equal(1, incident.Id);
        Assert.Equal(20, incident.Attempts);
        Assert.Equal(T0.AddSeconds(19), incident.LastSeen);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
