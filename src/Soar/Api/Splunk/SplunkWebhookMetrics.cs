namespace Soar.Api.Splunk;

/// <summary>What happened to webhook requests, by outcome. Updated from many requests at once.</summary>
public sealed class SplunkWebhookMetrics
{
    private long _accepted;
    private long _unauthorized;
    private long _badRequests;
    private long _tooLarge;
    private long _disabled;
    private long _unavailable;

    public long Accepted => Volatile.Read(ref _accepted);
    /// <summary>Wrong or missing token.</summary>
    public long Unauthorized => Volatile.Read(ref _unauthorized);
    /// <summary>Malformed JSON or no usable source address.</summary>
    public long BadRequests => Volatile.Read(ref _badRequests);
    public long TooLarge => Volatile.Read(ref _tooLarge);
    /// <summary>Refused because no token is configured.</summary>
    public long Disabled => Volatile.Read(ref _disabled);
    /// <summary>Refused because the pipeline was stopping.</summary>
    public long Unavailable => Volatile.Read(ref _unavailable);

    internal void OnAccepted() => Interlocked.Increment(ref _accepted);
    internal void OnUnauthorized() => Interlocked.Increment(ref _unauthorized);
    internal void OnBadRequest() => Interlocked.Increment(ref _badRequests);
    internal void OnTooLarge() => Interlocked.Increment(ref _tooLarge);
    internal void OnDisabled() => Interlocked.Increment(ref _disabled);
    internal void OnUnavailable() => Interlocked.Increment(ref _unavailable);
}
