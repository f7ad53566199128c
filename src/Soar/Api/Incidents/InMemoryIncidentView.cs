using Soar.Events;
using Soar.Response;

namespace Soar.Api.Incidents;

/// <summary>
/// Incidents as the pipeline's changes describe them, kept in memory: a responder, so it sees
/// exactly what the other responders see, and safe to read from HTTP requests while the
/// pipeline writes (the detector's own state is single-threaded and must not be read there).
/// Stands in for the SQLite store's queries until they exist; forgets everything on restart.
/// </summary>
public sealed class InMemoryIncidentView(TimeProvider time) : IIncidentView, IResponder
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, Entry> _incidents = new(Comparer<long>.Create((a, b) => b.CompareTo(a)));

    public string Name => "incident-view";

    public ValueTask RespondAsync(IncidentChange change, CancellationToken cancellationToken)
    {
        var incident = change.Incident;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_incidents.TryGetValue(incident.Id, out var entry)) _incidents[incident.Id] = entry = new Entry();
            entry.Incident = incident;
            var last = entry.Audit.Count > 0 ? entry.Audit[^1] : null;
            var audit = new IncidentAuditEntry(now, change.Kind, incident.Severity, incident.Attempts, 1);
            if (last is { Change: IncidentChangeKind.Updated } && change.Kind == IncidentChangeKind.Updated)
                entry.Audit[^1] = audit with { Times = last.Times + 1 };
            else
                entry.Audit.Add(audit);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var matching = _incidents.Values.Select(e => e.Incident).Where(i => Matches(i, query)).ToList();
            var page = matching.Skip(query.Offset).Take(query.Limit).ToList();
            return ValueTask.FromResult(new IncidentPage(page, matching.Count));
        }
    }

    public ValueTask<IncidentRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_incidents.TryGetValue(id, out var entry)
                ? new IncidentRecord(entry.Incident, [.. entry.Audit])
                : null);
        }
    }

    /// <summary>Every incident as it stands now (for metrics).</summary>
    public IReadOnlyList<Incident> Snapshot()
    {
        lock (_lock) return [.. _incidents.Values.Select(e => e.Incident)];
    }

    private static bool Matches(Incident incident, IncidentQuery query) =>
        (query.Status is not { } status || incident.Status == status)
        && (query.Severity is not { } severity || incident.Severity == severity)
        && (query.Rule is not { } rule || incident.Findings.Any(f => string.Equals(f.Rule, rule, StringComparison.Ordinal)))
        && (query.Since is not { } since || incident.LastSeen >= since);

    private sealed class Entry
    {
        public Incident Incident = null!;
        public readonly List<IncidentAuditEntry> Audit = [];
    }
}
