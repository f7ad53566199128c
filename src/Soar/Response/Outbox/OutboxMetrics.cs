using System.Collections.Concurrent;
using Soar.Api.Metrics;

namespace Soar.Response.Outbox;

/// <summary>
/// The outbox's counts per responder, for <c>GET /metrics</c>: notifications delivered and failed for
/// good, failed delivery attempts by reason, and (in <see cref="NotificationLatency"/>) the time from
/// the incident change to delivery.
/// </summary>
public sealed class OutboxMetrics(NotificationLatency latency)
{
    private static readonly int Reasons = Enum.GetValues<DeliveryFailure>().Length;
    private readonly ConcurrentDictionary<string, Counts> _counts = new(StringComparer.Ordinal);

    public void Delivered(string responder, TimeSpan sinceChange)
    {
        Interlocked.Increment(ref For(responder).Delivered);
        latency.Record(responder, sinceChange);
    }

    /// <summary>A notification failed for good (refused, or retried for too long).</summary>
    public void Failed(string responder) => Interlocked.Increment(ref For(responder).Failed);

    /// <summary>One delivery attempt failed, whether or not it is tried again.</summary>
    public void AttemptFailed(string responder, DeliveryFailure reason) =>
        Interlocked.Increment(ref For(responder).AttemptsFailed[(int)reason]);

    public ResponderCounts Get(string responder)
    {
        if (!_counts.TryGetValue(responder, out var counts)) return new ResponderCounts(0, 0, new long[Reasons]);
        return new ResponderCounts(Volatile.Read(ref counts.Delivered), Volatile.Read(ref counts.Failed),
            [.. counts.AttemptsFailed.Select((_, i) => Volatile.Read(ref counts.AttemptsFailed[i]))]);
    }

    private Counts For(string responder) => _counts.GetOrAdd(responder, _ => new Counts());

    private sealed class Counts
    {
        public long Delivered;
        public long Failed;
        public readonly long[] AttemptsFailed = new long[Reasons];
    }
}

/// <param name="AttemptsFailed">Indexed by <see cref="DeliveryFailure"/>.</param>
public sealed record ResponderCounts(long Delivered, long Failed, IReadOnlyList<long> AttemptsFailed);
