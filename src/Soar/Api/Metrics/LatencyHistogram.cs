namespace Soar.Api.Metrics;

/// <summary>A latency histogram with fixed bucket bounds, in seconds. Safe to record from many threads.</summary>
public class LatencyHistogram
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
/// Time from an incident change to its notification being delivered. The responders (Discord,
/// the outbox dispatcher) record into it; <c>/metrics</c> exposes it as
/// <c>soar_notification_latency_seconds</c>.
/// </summary>
public sealed class NotificationLatency() : LatencyHistogram([0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]);
