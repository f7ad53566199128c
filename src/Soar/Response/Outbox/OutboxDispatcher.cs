using Microsoft.Extensions.Logging;
using Soar.Enrichment;
using Soar.Events;
using Soar.Storage.Sqlite;

namespace Soar.Response.Outbox;

/// <summary>
/// Delivers outbox rows: one loop per responder, one delivery at a time, each incident's rows in
/// order. Transient failures come back after a growing backoff (or the time the responder names)
/// for up to <see cref="ResponseOptions.RetryFor"/>; a disabled responder is left alone until restart.
/// Stopping delivers what is already due (for up to <see cref="ResponseOptions.DrainTimeout"/>);
/// anything else stays in the table for the next start.
/// </summary>
public sealed partial class OutboxDispatcher(
    IEnumerable<IOutboxResponder> responders,
    OutboxStore store,
    OutboxSignal signal,
    IncidentIntel intel,
    SeverityPolicy policy,
    ResponseOptions options,
    ResponderHealth health,
    OutboxMetrics metrics,
    PendingIntel pendingIntel,
    IncidentStore incidents,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger)
{
    private static readonly TimeSpan RecheckAfterSignal = TimeSpan.FromMilliseconds(3);
    private readonly IReadOnlyList<IOutboxResponder> _responders = responders.ToList();
    private readonly CancellationTokenSource _abort = new();
    private volatile bool _stopping;
    private Task? _loops;

    public void Start()
    {
        if (_loops is not null) throw new InvalidOperationException("The outbox dispatcher is already running.");
        var recovered = store.RecoverInFlight(time.GetUtcNow());
        if (recovered > 0) LogRecovered(recovered);
        store.Purge(time.GetUtcNow() - options.KeepFinished);
        foreach (var responder in _responders) health.Register(responder.Name);
        _loops = Task.WhenAll(_responders.Select(r =>
        {
            var wake = signal.Subscribe();
            return Task.Run(() => RunAsync(r, wake));
        }));
    }

    /// <summary>Delivers what is due, then stops; past the drain timeout, deliveries in flight are abandoned
    /// (their rows are delivered again at the next start).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_loops is null) return;
        _stopping = true;
        signal.Notify();
        try
        {
            await _loops.WaitAsync(options.DrainTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            await _abort.CancelAsync();
            await _loops.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RunAsync(IOutboxResponder responder, SemaphoreSlim wake)
    {
        var quickRechecks = 0;
        while (!_abort.IsCancellationRequested)
        {
            if (health.Get(responder.Name).State == ResponderState.Disabled)
            {
                if (_stopping) return;
                await WaitAsync(wake, options.PollInterval);
                continue;
            }
            // Read before the claim: whatever was committed before StopAsync is then visible to it. Read
            // after, a claim that looked just before those commits would end the loop and leave them behind.
            var stopping = _stopping;
            OutboxRow? row;
            try
            {
                row = store.ClaimNext(responder.Name, time.GetUtcNow());
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
            {
                LogStoreFailed(responder.Name, e);
                if (stopping) return;
                await WaitAsync(wake, options.PollInterval);
                continue;
            }
            if (row is not null)
            {
                DateTimeOffset? resumeAt;
                try
                {
                    resumeAt = await DeliverAsync(responder, row);
                }
                catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
                {
                    // The row stays in flight and is delivered again at the next start; this loop goes on.
                    LogStoreFailed(responder.Name, e);
                    resumeAt = time.GetUtcNow() + options.PollInterval;
                }
                // After a transient failure the whole responder waits out the backoff: an outage costs
                // one request per backoff step, not one per waiting notification. Stopping, it gives up.
                if (resumeAt is { } at)
                {
                    if (_stopping) return;
                    await PauseAsync(at - time.GetUtcNow());
                }
                continue;
            }
            if (stopping) return;

            var now = time.GetUtcNow();
            var wait = options.PollInterval;
            if (store.NextDue(responder.Name) is { } due && due - now < wait) wait = due - now;
            // A signal may come just before the commit it announces: look again very soon.
            if (quickRechecks > 0 && wait > RecheckAfterSignal)
            {
                wait = RecheckAfterSignal;
                quickRechecks--;
            }
            if (await WaitAsync(wake, wait)) quickRechecks = 2;
        }
    }

    private async Task<bool> WaitAsync(SemaphoreSlim wake, TimeSpan wait)
    {
        try
        {
            return await wake.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, _abort.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task PauseAsync(TimeSpan pause)
    {
        if (pause <= TimeSpan.Zero) return;
        try
        {
            await Task.Delay(pause, time, _abort.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Delivers one row; returns when the responder may try again after a transient failure.</summary>
    private async Task<DateTimeOffset?> DeliverAsync(IOutboxResponder responder, OutboxRow row)
    {
        Notification notification;
        try
        {
            var incident = IncidentSnapshotJson.Deserialize(row.Payload);
            var report = await intel.LookupAsync(incident, _abort.Token);
            var (severity, reason) = policy.Classify(incident, report);
            notification = new Notification(row.Id, IncidentSnapshotJson.ParseKind(row.Kind), incident, row.IncidentRef,
                row.Attempts, row.CreatedAt, report, new SeverityAssessment(severity, reason));
            // Intel that raises the severity escalates the incident itself (stored, audited, one Escalated
            // change to every responder); the store makes it happen once, whichever delivery notices first.
            if (severity > incident.Severity) RaiseSeverity(incident.Id, severity, reason);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or NotSupportedException)
        {
            LogUnreadable(responder.Name, row.Id, e);
            store.MarkFailed(row.Id, "unreadable snapshot", time.GetUtcNow());
            return null;
        }

        DeliveryResult result;
        try
        {
            result = await responder.DeliverAsync(notification, _abort.Token);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            store.Reschedule(row.Id, time.GetUtcNow(), "interrupted by shutdown", countsAsAttempt: false, time.GetUtcNow());
            return null;
        }
        catch (Exception e)
        {
            // A responder's bug must not stop the others nor spin: it is retried with backoff.
            LogResponderThrew(responder.Name, row.Id, e);
            result = DeliveryResult.Retry(e.GetType().Name);
        }

        var now = time.GetUtcNow();
        // Every failed attempt counts, by reason, whatever becomes of the row; a deferral that sent nothing does not.
        if (result is RetryResult { Failure: { } retryFailure }) metrics.AttemptFailed(responder.Name, retryFailure);
        else if (result is FailedResult refused) metrics.AttemptFailed(responder.Name, refused.Failure);
        switch (result)
        {
            case DeliveredResult:
                store.MarkDelivered(row.Id, now);
                if (notification.Intel.Status == Soar.Enrichment.IntelStatus.Pending) pendingIntel.Add(notification.Intel.Ip);
                metrics.Delivered(responder.Name, now - row.CreatedAt);
                health.Report(responder.Name, ResponderState.Healthy, null);
                LogDelivered(responder.Name, row.Id, row.IncidentId, row.Kind);
                // Updates are the bulk and change nothing people act on: the audit keeps the lifecycle.
                if (notification.Kind != IncidentChangeKind.Updated)
                    Audit(notification, delivered: true, $"{responder.Name}: {row.Kind} delivered");
                break;
            case RetryResult { Deferred: true } deferred:
                store.Reschedule(row.Id, deferred.NotBefore ?? now, deferred.Reason, countsAsAttempt: false, now);
                break;
            case RetryResult retry when now - row.CreatedAt >= options.RetryFor:
                store.MarkFailed(row.Id, $"gave up after {options.RetryFor}: {retry.Reason}", now);
                Audit(notification, delivered: false, $"{responder.Name}: {row.Kind} gave up after {options.RetryFor}: {retry.Reason}");
                metrics.Failed(responder.Name);
                LogGaveUp(responder.Name, row.Id, row.IncidentId, row.Attempts, retry.Reason);
                break;
            case RetryResult retry:
                var at = retry.NotBefore ?? now + Backoff(row.Attempts);
                store.Reschedule(row.Id, at, retry.Reason, countsAsAttempt: true, now);
                health.Report(responder.Name, ResponderState.Retrying, retry.Reason);
                LogRetrying(responder.Name, row.Id, row.IncidentId, row.Attempts, retry.Reason, at);
                return at;
            case FailedResult { DisablesResponder: true } disabled:
                store.MarkFailed(row.Id, disabled.Reason, now);
                Audit(notification, delivered: false, $"{responder.Name}: {row.Kind} failed, responder disabled: {disabled.Reason}");
                metrics.Failed(responder.Name);
                health.Report(responder.Name, ResponderState.Disabled, disabled.Reason);
                LogDisabled(responder.Name, disabled.Reason, row.Id);
                break;
            case FailedResult failed:
                store.MarkFailed(row.Id, failed.Reason, now);
                Audit(notification, delivered: false, $"{responder.Name}: {row.Kind} failed: {failed.Reason}");
                metrics.Failed(responder.Name);
                LogFailed(responder.Name, row.Id, row.IncidentId, failed.Reason);
                break;
        }
        return null;
    }

    private void RaiseSeverity(long incidentId, Severity severity, string reason)
    {
        try
        {
            if (incidents.RaiseSeverity(incidentId, severity, reason)) LogRaisedByIntel(incidentId, severity.Name(), reason);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            LogRaiseFailed(incidentId, e); // the card still shows it; the next delivery tries again
        }
    }

    private void Audit(Notification notification, bool delivered, string detail)
    {
        try
        {
            incidents.RecordNotification(notification.Incident.Id, notification.Incident.LastSeen, delivered,
                notification.Assessment.Severity, detail);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            LogAuditFailed(notification.Incident.Id, e); // the delivery itself stands
        }
    }

    /// <summary>1 s, 2 s, 4 s, … up to the maximum, with ±20 % jitter so that retries do not march in step.</summary>
    private TimeSpan Backoff(int attempts)
    {
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 30);
        var raw = Math.Min(options.MaxBackoff.TotalMilliseconds, options.InitialBackoff.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(raw * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: {Count} notifications were in flight when Soar stopped; they will be delivered again")]
    private partial void LogRecovered(int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Responder}: delivered notification {OutboxId} (incident {IncidentId}, {Kind})")]
    private partial void LogDelivered(string responder, long outboxId, long incidentId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Responder}: notification {OutboxId} (incident {IncidentId}) failed on attempt {Attempt}: {Reason}; retrying at {RetryAt:O}")]
    private partial void LogRetrying(string responder, long outboxId, long incidentId, int attempt, string reason, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Responder}: gave up on notification {OutboxId} (incident {IncidentId}) after {Attempts} attempts: {Reason}")]
    private partial void LogGaveUp(string responder, long outboxId, long incidentId, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Responder}: notification {OutboxId} (incident {IncidentId}) was refused for good: {Reason}")]
    private partial void LogFailed(string responder, long outboxId, long incidentId, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Responder} is DISABLED: {Reason} (notification {OutboxId} failed). Later notifications wait in the outbox; fix the configuration and restart Soar.")]
    private partial void LogDisabled(string responder, string reason, long outboxId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Responder}: responder threw on notification {OutboxId}")]
    private partial void LogResponderThrew(string responder, long outboxId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Responder}: notification {OutboxId} has an unreadable snapshot and is marked failed")]
    private partial void LogUnreadable(string responder, long outboxId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} escalated to {Severity} by threat intel: {Reason}")]
    private partial void LogRaisedByIntel(long incidentId, string severity, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {IncidentId}: the severity threat intel raised could not be stored")]
    private partial void LogRaiseFailed(long incidentId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {IncidentId}: the notification could not be added to the audit trail")]
    private partial void LogAuditFailed(long incidentId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Responder}: the outbox could not be read")]
    private partial void LogStoreFailed(string responder, Exception exception);

}
