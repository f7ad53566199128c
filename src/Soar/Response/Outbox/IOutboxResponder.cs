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

/// <summary>Why a delivery attempt failed, for <c>soar_responder_failures_total{reason}</c>.</summary>
public enum DeliveryFailure : byte
{
    /// <summary>The service said to slow down (429).</summary>
    RateLimited,
    /// <summary>5xx.</summary>
    ServerError,
    /// <summary>4xx other than 429: the request, the URL or the credentials are wrong.</summary>
    ClientError,
    /// <summary>Unreachable, refused, or no answer in time.</summary>
    Network,
    /// <summary>On this side: a file that cannot be written, a responder that threw.</summary>
    Local,
}

/// <summary>How a delivery went; the dispatcher turns it into the row's next state.</summary>
public abstract record DeliveryResult
{
    public static readonly DeliveryResult Delivered = new DeliveredResult();

    /// <summary>A transient failure (5xx, timeout, 429): retried at <paramref name="notBefore"/>,
    /// or after a growing backoff when null.</summary>
    public static DeliveryResult Retry(string reason, DateTimeOffset? notBefore = null, DeliveryFailure failure = DeliveryFailure.Local) =>
        new RetryResult(reason, notBefore, false) { Failure = failure };

    /// <summary>Not now: tried again at <paramref name="notBefore"/> without counting as an attempt, either because
    /// nothing was sent (an edit inside its 30 s interval) or because the service asked to wait
    /// (<paramref name="failure"/> says so, and the attempt counts as failed).</summary>
    public static DeliveryResult Defer(string reason, DateTimeOffset notBefore, DeliveryFailure? failure = null) =>
        new RetryResult(reason, notBefore, true) { Failure = failure };

    /// <summary>This notification can never be delivered (the request itself is refused).</summary>
    public static DeliveryResult Fail(string reason, DeliveryFailure failure = DeliveryFailure.ClientError) =>
        new FailedResult(reason, false) { Failure = failure };

    /// <summary>The responder itself is unusable (webhook deleted, credentials refused): this row fails,
    /// later rows wait until the responder is fixed and Soar restarted.</summary>
    public static DeliveryResult Disable(string reason, DeliveryFailure failure = DeliveryFailure.ClientError) =>
        new FailedResult(reason, true) { Failure = failure };
}

public sealed record DeliveredResult : DeliveryResult;

public sealed record RetryResult(string Reason, DateTimeOffset? NotBefore, bool Deferred) : DeliveryResult
{
    /// <summary>Null for a deferral that sent nothing.</summary>
    public DeliveryFailure? Failure { get; init; }
}

public sealed record FailedResult(string Reason, bool DisablesResponder) : DeliveryResult
{
    public DeliveryFailure Failure { get; init; }
}
