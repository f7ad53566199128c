using System.Collections.Concurrent;

namespace Soar.Api.Metrics;

/// <summary>A latency histogram with fixed bucket bounds, in seconds. Safe to record from many threads.</summary>
public sealed class LatencyHistogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private readonly Lock _lock = new();
    private double _sum;
    private long _count;

    public LatencyHistogram(IReadOnlyList<double> upperBoundsSeconds)
    {
        if (upperBoundsSeconds.Count == 0 || upperBoundsSeconds.Zip(upperBoundsSeconds.Skip(1)).Any(p => p.First >= p.Second))
            throw new ArgumentException("Bucket bounds must be a non-empty, strictly increasing list.");
        _bounds = [.. upperBoundsSeconds];
        _counts = new long[_bounds.Length];
    }

    public void Record(TimeSpan latency)
    {
        var seconds = Math.Max(0, latency.TotalSeconds);
        var index = Array.FindIndex(_bounds, b => seconds <= b);
        lock (_lock)
        {
            if (index >= 0) _counts[index]++;
            _sum += seconds;
            _count++;
        }
    }

    public HistogramSnapshot Snapshot()
    {
        lock (_lock) return new HistogramSnapshot(_bounds, [.. _counts], _sum, _count);
    }
}

/// <summary>Per-bucket (not cumulative) counts; observations above the last bound count only in <see cref="Count"/>.</summary>
public sealed record HistogramSnapshot(IReadOnlyList<double> UpperBounds, IReadOnlyList<long> BucketCounts, double Sum, long Count);

/// <summary>
/// Time from an incident change being recorded (its outbox row is written in the same transaction)
/// to its notification being delivered, per responder. The outbox dispatcher records into it;
/// <c>/metrics</c> exposes it as <c>soar_notification_latency_seconds{responder}</c>.
/// </summary>
public sealed class NotificationLatency
{
    private static readonly double[] Bounds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
    private readonly ConcurrentDictionary<string, LatencyHistogram> _byResponder = new(StringComparer.Ordinal);

    public void Record(string responder, TimeSpan latency) =>
        _byResponder.GetOrAdd(responder, _ => new LatencyHistogram(Bounds)).Record(latency);

    /// <summary>The histogram of every responder that delivered something, by name.</summary>
    public IReadOnlyList<(string Responder, HistogramSnapshot Histogram)> Snapshot() =>
        [.. _byResponder.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Value.Snapshot()))];
}
