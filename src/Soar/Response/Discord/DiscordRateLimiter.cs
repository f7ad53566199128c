using System.Globalization;
using System.Net.Http.Headers;

namespace Soar.Response.Discord;

/// <summary>
/// Keeps one webhook under its rate limits: our own ceiling (5 requests per 2 s unless configured),
/// whatever Discord's headers say about each bucket (X-RateLimit-Remaining / Reset-After), and a
/// full stop after a 429 for as long as Discord asks. Not thread-safe by design: one webhook's
/// deliveries are sequential.
/// </summary>
public sealed class DiscordRateLimiter(int maxRequests, TimeSpan window, TimeProvider time)
{
    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly Dictionary<string, string> _bucketOfRoute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Remaining, DateTimeOffset ResetAt)> _buckets = new(StringComparer.Ordinal);
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    /// <summary>Discord rounds its reset times to the millisecond; arriving a little late beats earning a 429.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(50);

    /// <summary>How long to wait before the next request on <paramref name="route"/> (zero: go now).</summary>
    public TimeSpan DelayFor(string route)
    {
        var now = time.GetUtcNow();
        var until = _blockedUntil;
        while (_sent.Count > 0 && _sent.Peek() <= now - window) _sent.Dequeue();
        if (_sent.Count >= maxRequests && _sent.Peek() + window > until) until = _sent.Peek() + window;
        if (_bucketOfRoute.TryGetValue(route, out var bucket) && _buckets.TryGetValue(bucket, out var state)
            && state.Remaining <= 0 && state.ResetAt > until)
            until = state.ResetAt;
        return until > now ? until - now : TimeSpan.Zero;
    }

    public void Sent(string route)
    {
        _sent.Enqueue(time.GetUtcNow());
        if (_bucketOfRoute.TryGetValue(route, out var bucket) && _buckets.TryGetValue(bucket, out var state))
            _buckets[bucket] = state with { Remaining = state.Remaining - 1 };
    }

    /// <summary>Learns the route's bucket from any response's headers.</summary>
    public void Observe(string route, HttpResponseHeaders headers)
    {
        var bucket = Header(headers, "X-RateLimit-Bucket") ?? route;
        _bucketOfRoute[route] = bucket;
        if (int.TryParse(Header(headers, "X-RateLimit-Remaining"), CultureInfo.InvariantCulture, out var remaining)
            && Seconds(Header(headers, "X-RateLimit-Reset-After")) is { } resetAfter)
            _buckets[bucket] = (remaining, time.GetUtcNow() + resetAfter + Margin);
    }

    /// <summary>A 429: nothing goes out on this webhook until <paramref name="retryAfter"/> has passed.</summary>
    public DateTimeOffset Limited(TimeSpan retryAfter)
    {
        var until = time.GetUtcNow() + retryAfter + Margin;
        if (until > _blockedUntil) _blockedUntil = until;
        return _blockedUntil;
    }

    internal static TimeSpan? Seconds(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds < 86_400
            ? TimeSpan.FromSeconds(seconds)
            : null;

    internal static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
