using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Soar.Events;
using Soar.Response.Outbox;
using Soar.Storage.Sqlite;

namespace Soar.Tests.Response.Outbox;

public sealed class OutboxDispatcherTests
{
    /// <summary>A responder whose answers the test decides.</summary>
    private sealed class ScriptedResponder(Func<Notification, DeliveryResult> answer) : IOutboxResponder
    {
        public ConcurrentQueue<(long Id, long Incident, IncidentChangeKind Kind)> Calls { get; } = new();
        public string Name => "scripted";
        public bool Accepts(IncidentChangeKind kind) => true;

        public Task<DeliveryResult> DeliverAsync(Notification notification, CancellationToken cancellationToken)
        {
            Calls.Enqueue((notification.Id, notification.Incident.Id, notification.Kind));
            return Task.FromResult(answer(notification));
        }
    }

    private static ResponseHarness With(ScriptedResponder responder, Dictionary<string, string?>? settings = null) =>
        ResponseHarness.Create(settings ?? [], configure: s => s.AddSingleton<IOutboxResponder>(responder));

    [Fact]
    public async Task RowsInFlightWhenSoarDiedAreDeliveredAgainAtTheNextStart()
    {
        var responder = new ScriptedResponder(_ => DeliveryResult.Delivered);
        await using var harness = With(responder);
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make()));
        using (var connection = harness.Services.GetRequiredService<SoarDatabase>().Open())
        using (var crash = connection.CreateCommand())
        {
            crash.CommandText = "UPDATE outbox SET state = 'in_flight', attempts = 1 WHERE responder = 'scripted'";
            crash.ExecuteNonQuery();
        }

        harness.Start();
        await harness.WaitForStateAsync(rows => rows.Single(r => r.Responder == "scripted").State == OutboxState.Delivered);
        Assert.Single(responder.Calls);
        Assert.Equal(2, harness.Store.All().Single(r => r.Responder == "scripted").Attempts);
    }

    [Fact]
    public async Task TransientFailuresAreRetriedWithBackoffUntilRetryForThenFail()
    {
        var responder = new ScriptedResponder(_ => DeliveryResult.Retry("Discord answered 503"));
        await using var harness = With(responder, new() { ["Response:RetryFor"] = "00:00:00.600" });
        harness.Start();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make()));
        await harness.WaitForStateAsync(rows => rows.Single(r => r.Responder == "scripted").State == OutboxState.Failed);

        var row = harness.Store.All().Single(r => r.Responder == "scripted");
        Assert.StartsWith("gave up after", row.LastError);
        // 50 ms doubling to 200 ms over 600 ms: a handful of attempts, not a storm.
        Assert.InRange(responder.Calls.Count, 2, 8);
    }

    [Fact]
    public async Task AnIncidentsRowsGoInOrderWhileOtherIncidentsPass()
    {
        var deferredOnce = 0;
        var responder = new ScriptedResponder(n =>
            n.Incident.Id == 1 && n.Kind == IncidentChangeKind.Opened && Interlocked.Exchange(ref deferredOnce, 1) == 0
                ? DeliveryResult.Defer("edit interval", DateTimeOffset.UtcNow.AddMilliseconds(300))
                : DeliveryResult.Delivered);
        await using var harness = With(responder);
        harness.Start();
        var one = TestIncidents.Make(id: 1);
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, one));
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Escalated, TestIncidents.Escalate(one, Severity.Critical)));
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 2, ip: "203.0.113.2")));
        await harness.WaitForStateAsync(rows => rows.Where(r => r.Responder == "scripted").All(r => r.State == OutboxState.Delivered));

        var order = responder.Calls.Select(c => (c.Incident, c.Kind)).ToList();
        Assert.Equal([(1L, IncidentChangeKind.Opened), (2L, IncidentChangeKind.Opened), (1L, IncidentChangeKind.Opened), (1L, IncidentChangeKind.Escalated)], order);
        // A deferral is not a failed attempt.
        Assert.Equal(1, harness.Store.All().First(r => r.Responder == "scripted").Attempts);
    }

    [Fact]
    public async Task AResponderThatThrowsIsRetriedAndTheConsoleStillPrints()
    {
        var calls = 0;
        var responder = new ScriptedResponder(_ => Interlocked.Increment(ref calls) < 3 ? throw new InvalidOperationException("bug") : DeliveryResult.Delivered);
        await using var harness = With(responder);
        harness.Start();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make()));
        await harness.WaitForStateAsync(rows => rows.All(r => r.State == OutboxState.Delivered));

        Assert.Equal(3, calls);
        Assert.Contains("SSH brute force — 203.0.113.9", harness.Console.ToString());
    }

    [Fact]
    public async Task StoppingDeliversWhatIsAlreadyDue()
    {
        var responder = new ScriptedResponder(_ => DeliveryResult.Delivered);
        await using var harness = With(responder);
        harness.Start();
        for (var i = 1; i <= 20; i++)
            await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: i, ip: $"203.0.113.{i}")));
        await harness.Dispatcher.StopAsync();

        Assert.All(harness.Store.All(), r => Assert.Equal(OutboxState.Delivered, r.State));
        Assert.Equal(20, responder.Calls.Count);
    }

    [Fact]
    public async Task DeliveriesFailedAttemptsByReasonAndFailuresAreCountedPerResponder()
    {
        var calls = 0;
        var responder = new ScriptedResponder(n => Interlocked.Increment(ref calls) switch
        {
            1 => DeliveryResult.Retry("503", failure: DeliveryFailure.ServerError),
            2 => DeliveryResult.Delivered,
            _ => DeliveryResult.Fail("400"),
        });
        await using var harness = With(responder);
        harness.Start();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make()));
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 2, ip: "203.0.113.2")));
        await harness.WaitForStateAsync(rows => rows.Where(r => r.Responder == "scripted").All(r => r.State is OutboxState.Delivered or OutboxState.Failed));

        var counts = harness.Services.GetRequiredService<OutboxMetrics>().Get("scripted");
        Assert.Equal(1, counts.Delivered);
        Assert.Equal(1, counts.Failed);
        Assert.Equal(1, counts.AttemptsFailed[(int)DeliveryFailure.ServerError]);
        Assert.Equal(1, counts.AttemptsFailed[(int)DeliveryFailure.ClientError]);
        Assert.Equal(2, counts.AttemptsFailed.Sum());
    }

    [Fact]
    public async Task DeliveredLifecycleChangesAndFailuresJoinTheIncidentsAuditTrailUpdatesDoNot()
    {
        var responder = new ScriptedResponder(n => n.Incident.Id == 2 ? DeliveryResult.Fail("400 bad request") : DeliveryResult.Delivered);
        await using var harness = With(responder, new() { ["Response:Routes:console:Enabled"] = "false" });
        harness.Start();
        var one = TestIncidents.Make();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, one));
        await harness.WaitForStateAsync(rows => rows.All(r => r.State == OutboxState.Delivered));
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Updated, one with { Attempts = 30 }));
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 2, ip: "203.0.113.2")));
        await harness.WaitForStateAsync(rows => rows.Count == 3 && rows.All(r => r.State is OutboxState.Delivered or OutboxState.Failed));

        var store = harness.Services.GetRequiredService<IncidentStore>();
        Assert.Equal(["opened", "notified"], store.Get(1)!.Audit.Select(a => a.Change));
        Assert.Equal("scripted: opened delivered", store.Get(1)!.Audit[1].Detail);
        Assert.Equal(["opened", "delivery_failed"], store.Get(2)!.Audit.Select(a => a.Change));
        Assert.Equal("scripted: opened failed: 400 bad request", store.Get(2)!.Audit[1].Detail);
    }

    [Fact]
    public async Task FinishedRowsOlderThanKeepFinishedAreRemovedAtStartAndPendingOnesNever()
    {
        var responder = new ScriptedResponder(_ => DeliveryResult.Delivered);
        await using var harness = With(responder, new() { ["Response:KeepFinished"] = "1.00:00:00" });
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make()));
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 2, ip: "203.0.113.2")));
        var rows = harness.Store.All().Where(r => r.Responder == "scripted").ToList();
        var old = DateTimeOffset.UtcNow.AddDays(-2);
        harness.Store.MarkDelivered(rows[0].Id, old);
        using (var connection = harness.Services.GetRequiredService<SoarDatabase>().Open())
        using (var age = connection.CreateCommand())
        {
            age.CommandText = "UPDATE outbox SET updated_at = $old, created_at = $old WHERE responder = 'scripted'";
            age.Parameters.AddWithValue("$old", old.ToUnixTimeMilliseconds());
            age.ExecuteNonQuery();
        }

        harness.Start();
        await harness.WaitForStateAsync(all => all.Where(r => r.Responder == "scripted").All(r => r.State == OutboxState.Delivered));
        Assert.Equal([rows[1].Id], harness.Store.All().Where(r => r.Responder == "scripted").Select(r => r.Id));
    }
}
