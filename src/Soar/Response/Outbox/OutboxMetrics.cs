using System.Diagnostics.Metrics;

namespace Soar.Response.Outbox;

/// <summary>
/// The outbox's counters, per responder, on the meter <c>Soar.Response</c> (for <c>GET /metrics</c>):
/// notifications delivered, retried and failed, and the time from the incident change to delivery.
/// </summary>
public sealed class OutboxMetrics : IDisposable
{
    public const string MeterName = "Soar.Response";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _latency;

    public OutboxMetrics()
    {
        _delivered = _meter.CreateCounter<long>("soar.notifications.delivered", description: "Notifications a responder accepted");
        _retried = _meter.CreateCounter<long>("soar.notifications.retried", description: "Transient delivery failures, retried later");
        _failed = _meter.CreateCounter<long>("soar.notifications.failed", description: "Notifications failed for good");
        _latency = _meter.CreateHistogram<double>("soar.notifications.latency", "ms", "Incident change to delivery");
    }

    public void Delivered(string responder, TimeSpan sinceChange)
    {
        var tag = new KeyValuePair<string, object?>("responder", responder);
        _delivered.Add(1, tag);
        _latency.Record(sinceChange.TotalMilliseconds, tag);
    }

    public void Retried(string responder) => _retried.Add(1, new KeyValuePair<string, object?>("responder", responder));

    public void Failed(string responder) => _failed.Add(1, new KeyValuePair<string, object?>("responder", responder));

    public void Dispose() => _meter.Dispose();
}
