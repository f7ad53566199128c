using Microsoft.Data.Sqlite;
using Soar.Api.Splunk;
using Soar.Enrichment.VirusTotal;
using Soar.Events;
using Soar.Pipeline;
using Soar.Response.Outbox;

namespace Soar.Api.Metrics;

/// <summary>Ingest, parsing and detection counts from <see cref="PipelineMetrics"/>.</summary>
public sealed class PipelineMetricsReporter(PipelineMetrics pipeline) : IMetricsReporter
{
    public void Report(PrometheusTextWriter metrics)
    {
        metrics.Counter("soar_messages_received_total", "Messages received by the sources.", pipeline.MessagesReceived);
        metrics.Counter("soar_messages_dropped_total", "Messages refused at ingest (over the size limit).", pipeline.MessagesDropped);
        metrics.Counter("soar_connections_accepted_total", "Connections accepted by the syslog listeners.", pipeline.ConnectionsAccepted);
        metrics.Counter("soar_lines_processed_total", "Log lines that reached the parser.", pipeline.LinesProcessed);
        metrics.Counter("soar_parse_failures_total", "Lines that could not be parsed (malformed).", pipeline.MalformedLines);
        metrics.Family("soar_events_total", "counter", "Authentication events recognised, by kind.");
        foreach (var kind in Enum.GetValues<AuthEventKind>())
            metrics.Sample("soar_events_total", pipeline.EventsByKind(kind), ("kind", kind.Name()));
        metrics.Counter("soar_events_future_dated_total", "Events dated over 5 minutes ahead of the clock, taken as now.",
            pipeline.FutureDatedEvents);
        metrics.Counter("soar_store_failures_total", "Tries to store an incident change that failed (tried again until stored).",
            pipeline.StoreFailures);
    }
}

public sealed class SplunkWebhookMetricsReporter(SplunkWebhookMetrics webhook) : IMetricsReporter
{
    public void Report(PrometheusTextWriter metrics)
    {
        const string name = "soar_splunk_webhook_requests_total";
        metrics.Family(name, "counter", "Splunk webhook requests, by outcome.");
        metrics.Sample(name, webhook.Accepted, ("outcome", "accepted"));
        metrics.Sample(name, webhook.Unauthorized, ("outcome", "unauthorized"));
        metrics.Sample(name, webhook.BadRequests, ("outcome", "bad_request"));
        metrics.Sample(name, webhook.TooLarge, ("outcome", "too_large"));
        metrics.Sample(name, webhook.Disabled, ("outcome", "disabled"));
        metrics.Sample(name, webhook.Unavailable, ("outcome", "unavailable"));
    }
}

/// <summary>
/// The outbox per responder: the backlog (notifications waiting, and how long the oldest has waited),
/// deliveries, failures for good, failed attempts by reason, and the latency from change to delivery.
/// </summary>
public sealed class OutboxMetricsReporter(IEnumerable<IOutboxResponder> responders, OutboxStore store, OutboxMetrics outbox,
    NotificationLatency latency, TimeProvider time) : IMetricsReporter
{
    private readonly string[] _responders = [.. responders.Select(r => r.Name).Order(StringComparer.Ordinal)];

    public void Report(PrometheusTextWriter metrics)
    {
        IReadOnlyDictionary<string, (long Waiting, DateTimeOffset Oldest)> backlog;
        try
        {
            backlog = store.Backlog();
        }
        catch (SqliteException)
        {
            backlog = new Dictionary<string, (long, DateTimeOffset)>(); // the database is busy: the counters still show
        }
        var now = time.GetUtcNow();
        metrics.Family("soar_outbox_pending", "gauge", "Notifications waiting for delivery (pending or in flight), per responder.");
        foreach (var responder in _responders)
            metrics.Sample("soar_outbox_pending", backlog.TryGetValue(responder, out var b) ? b.Waiting : 0, ("responder", responder));
        metrics.Family("soar_outbox_oldest_pending_age_seconds", "gauge", "How long the oldest waiting notification has waited, per responder (0 when none).");
        foreach (var responder in _responders)
            metrics.Sample("soar_outbox_oldest_pending_age_seconds",
                backlog.TryGetValue(responder, out var b) ? Math.Max(0, (now - b.Oldest).TotalSeconds) : 0, ("responder", responder));

        var counts = _responders.ToDictionary(r => r, outbox.Get);
        metrics.Family("soar_notifications_delivered_total", "counter", "Notifications delivered, per responder.");
        foreach (var responder in _responders) metrics.Sample("soar_notifications_delivered_total", counts[responder].Delivered, ("responder", responder));
        metrics.Family("soar_notifications_failed_total", "counter", "Notifications failed for good (refused, or retried for too long), per responder.");
        foreach (var responder in _responders) metrics.Sample("soar_notifications_failed_total", counts[responder].Failed, ("responder", responder));
        metrics.Family("soar_responder_failures_total", "counter", "Failed delivery attempts, per responder and reason (retried or not).");
        foreach (var responder in _responders)
            foreach (var reason in Enum.GetValues<DeliveryFailure>())
                metrics.Sample("soar_responder_failures_total", counts[responder].AttemptsFailed[(int)reason],
                    ("responder", responder), ("reason", ReasonName(reason)));

        metrics.Family("soar_notification_latency_seconds", "histogram",
            "Time from an incident change being recorded to its notification being delivered, per responder.");
        foreach (var (responder, histogram) in latency.Snapshot())
            metrics.HistogramSamples("soar_notification_latency_seconds", histogram, ("responder", responder));
    }

    private static string ReasonName(DeliveryFailure reason) => reason switch
    {
        DeliveryFailure.RateLimited => "rate_limited",
        DeliveryFailure.ServerError => "server_error",
        DeliveryFailure.ClientError => "client_error",
        DeliveryFailure.Network => "network",
        _ => "local",
    };
}

/// <summary>
/// The VirusTotal budget as the shared limiter sees it (sliding windows: requests in the last minute
/// and day, and what remains of each), and the cache's hits and misses. Nothing without a key.
/// </summary>
public sealed class VirusTotalMetricsReporter(VirusTotalOptions options, VirusTotalQuota? quota = null,
    VirusTotalEnricher? enricher = null) : IMetricsReporter
{
    public void Report(PrometheusTextWriter metrics)
    {
        if (quota is null || enricher is null) return;
        var minute = quota.CallsInLastMinute;
        var day = quota.CallsInLastDay;
        metrics.Family("soar_virustotal_requests", "gauge", "VirusTotal requests in the last minute and the last day (every attempt counts).");
        metrics.Sample("soar_virustotal_requests", minute, ("window", "minute"));
        metrics.Sample("soar_virustotal_requests", day, ("window", "day"));
        metrics.Family("soar_virustotal_requests_remaining", "gauge", "VirusTotal requests left in the budget (VirusTotal:RequestsPerMinute, :RequestsPerDay).");
        metrics.Sample("soar_virustotal_requests_remaining", Math.Max(0, options.RequestsPerMinute - minute), ("window", "minute"));
        metrics.Sample("soar_virustotal_requests_remaining", Math.Max(0, options.RequestsPerDay - day), ("window", "day"));
        metrics.Family("soar_virustotal_cache_lookups_total", "counter", "Lookups of public addresses answered by the cache (hit) or not (miss).");
        metrics.Sample("soar_virustotal_cache_lookups_total", enricher.CacheHits, ("result", "hit"));
        metrics.Sample("soar_virustotal_cache_lookups_total", enricher.CacheMisses, ("result", "miss"));
    }
}
