using System.Collections.Concurrent;
using Soar.Events;
using Soar.Storage;

namespace Soar.Api.Metrics;

/// <summary>
/// Counts incident changes as the store commits them, whoever made them (detection, Splunk alerts,
/// threat intel raising a severity): incidents opened by rule and severity, and changes by kind.
/// </summary>
public sealed class IncidentMetrics : IIncidentChangeObserver, IMetricsReporter
{
    private readonly ConcurrentDictionary<(string Rule, Severity Severity), long> _opened = new();
    private readonly long[] _changes = new long[Enum.GetValues<IncidentChangeKind>().Length];

    public void OnRecorded(IncidentChange change)
    {
        Interlocked.Increment(ref _changes[(int)change.Kind]);
        if (change.Kind == IncidentChangeKind.Opened)
        {
            // The rule that opened it: the first finding.
            var rule = change.Incident.Findings.Count > 0 ? change.Incident.Findings[0].Rule : "";
            _opened.AddOrUpdate((rule, change.Incident.Severity), 1, (_, n) => n + 1);
        }
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
