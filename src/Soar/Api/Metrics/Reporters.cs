using Soar.Api.Splunk;
using Soar.Events;
using Soar.Pipeline;

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
        metrics.Counter("soar_incidents_opened_total", "Incidents opened.", pipeline.IncidentsOpened);
        metrics.Counter("soar_responder_failures_total", "Responder calls that threw.", pipeline.ResponderFailures);
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

public sealed class NotificationLatencyReporter(NotificationLatency latency) : IMetricsReporter
{
    public void Report(PrometheusTextWriter metrics) => metrics.Histogram("soar_notification_latency_seconds",
        "Time from an incident change to its notification being delivered.", latency.Snapshot());
}
