namespace Soar.Api.Metrics;

/// <summary>
/// A component's contribution to <c>GET /metrics</c>. Register implementations as singletons
/// (<c>services.AddSingleton&lt;IMetricsReporter, OutboxMetricsReporter&gt;()</c>), as the outbox
/// backlog and the VirusTotal quota do. Family names start with <c>soar_</c>.
/// </summary>
public interface IMetricsReporter
{
    void Report(PrometheusTextWriter metrics);
}
