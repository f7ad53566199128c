using Soar.Events;

namespace Soar.Response.Outbox;

/// <summary>
/// A responder that the outbox dispatcher delivers to. Deliveries to one responder happen one
/// at a time, in order for each incident; a delivery may be repeated after a crash (at least once).
/// </summary>
public interface IOutboxResponder
{
    /// <summary>Stable name: the outbox rows and the route configuration use it.</summary>
    string Name { get; }

    /// <summary>Whether this responder has anything to say about a kind of change (the console skips updates).</summary>
    bool Accepts(IncidentChangeKind kind);

    Task<DeliveryResult> DeliverAsync(Notification notification, CancellationToken cancellationToken);
}

/// <summary>How a delivery went; the dispatcher turns it into the row's next state.</summary>
public abstract record DeliveryResult
{
    public static readonly DeliveryResult Delivered = new DeliveredResult();

    /// <summary>A transient failure (5xx, timeout, 429): retried at <paramref name="notBefore"/>,
    /// or after a growing backoff when null.</summary>
    public static DeliveryResult Retry(string reason, DateTimeOffset? notBefore = null) => new RetryResult(reason, notBefore, false);

    /// <summary>Not now, and not a failure either (an edit inside its 30 s interval): tried again at <paramref name="notBefore"/>.</summary>
    public static DeliveryResult Defer(string reason, DateTimeOffset notBefore) => new RetryResult(reason, notBefore, true);

    /// <summary>This notification can never be delivered (the request itself is refused).</summary>
    public static DeliveryResult Fail(string reason) => new FailedResult(reason, false);

    /// <summary>The responder itself is unusable (webhook deleted, credentials refused): this row fails,
    /// later rows wait until the responder is fixed and Soar restarted.</summary>
    public static DeliveryResult Disable(string reason) => new FailedResult(reason, true);
}

public sealed record DeliveredResult : DeliveryResult;

public sealed record RetryResult(string Reason, DateTimeOffset? NotBefore, bool Deferred) : DeliveryResult;

public sealed record FailedResult(string Reason, bool DisablesResponder) : DeliveryResult;
