using System.Collections.Concurrent;
using Soar.Events;
using Soar.Response;

namespace Soar.Api.Metrics;

/// <summary>
/// Counts incident changes as the responders hear of them: incidents opened by rule and
/// severity, and changes by kind. A responder itself, so it works with or without a store.
/// </summary>
public sealed class IncidentMetrics : IResponder, IMetricsReporter
{
    private readonly ConcurrentDictionary<(string Rule, Severity Severity), long> _opened = new();
    private readonly long[] _changes = new long[Enum.GetValues<IncidentChangeKind>().Length];

    public string Name => "incident-metrics";

    public ValueTask RespondAsync(IncidentChange change, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _changes[(int)change.Kind]);
        if (change.Kind == IncidentChangeKind.Opened)
        {
            // The rule that opened it: the first finding.
            var rule = change.Incident.Findings.Count > 0 ? change.Incident.Findings[0].Rule : "";
            _opened.AddOrUpdate((rule, change.Incident.Severity), 1, (_, n) => n + 1);
        }
        return ValueTask.CompletedTask;
    }

    public void Report(PrometheusTextWriter metrics)
    {
        metrics.Family("soar_incidents_total", "counter", "Incidents opened, by the rule that opened them and their severity then.");
        foreach (var ((rule, severity), count) in _opened.OrderBy(o => o.Key.Rule, StringComparer.Ordinal).ThenBy(o => o.Key.Severity))
            metrics.Sample("soar_incidents_total", count, ("rule", rule), ("severity", severity.Name()));
        metrics.Family("soar_incident_changes_total", "counter", "Incident changes, by kind.");
        foreach (var kind in Enum.GetValues<IncidentChangeKind>())
            metrics.Sample("soar_incident_changes_total", Volatile.Read(ref _changes[(int)kind]), ("change", kind.ToString().ToLowerInvariant()));
    }
}
