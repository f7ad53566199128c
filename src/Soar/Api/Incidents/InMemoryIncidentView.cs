using System.Globalization;
using Soar.Events;
using Soar.Response;

namespace Soar.Api.Incidents;

/// <summary>
/// Incidents as the pipeline's changes describe them, kept in memory: a responder, so it sees
/// exactly what the other responders see, and safe to read from HTTP requests while the
/// pipeline writes (the detector's own state is single-threaded and must not be read there).
/// Stands in for the SQLite store's queries until they exist: it forgets everything on restart,
/// keeps the newest <see cref="MaxIncidents"/> incidents, and folds consecutive updates of an
/// incident into one audit entry.
/// </summary>
public sealed class InMemoryIncidentView(TimeProvider time) : IIncidentView, IResponder
{
    public const int MaxIncidents = 10_000;

    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, Entry> _incidents = new();

    public string Name => "incident-view";

    public ValueTask RespondAsync(IncidentChange change, CancellationToken cancellationToken)
    {
        var incident = change.Incident;
        var recorded = time.GetUtcNow();
        lock (_lock)
        {
            if (!_incidents.TryGetValue(incident.Id, out var entry))
            {
                _incidents[incident.Id] = entry = new Entry();
                if (_incidents.Count > MaxIncidents) _incidents.Remove(_incidents.Keys.First());
            }
            entry.Incident = incident;
            var folding = change.Kind == IncidentChangeKind.Updated && entry.Audit.Count > 0
                          && entry.Audit[^1].Change == IncidentChangeKind.Updated;
            entry.UpdatesFolded = folding ? entry.UpdatesFolded + 1 : 1;
            var detail = string.Create(CultureInfo.InvariantCulture, $"{incident.Attempts} attempts")
                         + (entry.UpdatesFolded > 1 ? string.Create(CultureInfo.InvariantCulture, $", {entry.UpdatesFolded} updates") : "");
            var audit = new AuditEntry(incident.LastSeen, recorded, change.Kind, incident.Severity, detail);
            if (folding) entry.Audit[^1] = audit;
            else entry.Audit.Add(audit);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<Incident>> ListAsync(IncidentQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<Incident> page = [.. _incidents.Values.Select(e => e.Incident).Where(i => Matches(i, query))
                .OrderByDescending(i => i.LastSeen).ThenByDescending(i => i.Id)
                .Skip(query.Offset).Take(query.Limit)];
            return ValueTask.FromResult(page);
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

    private static bool Matches(Incident incident, IncidentQuery query) =>
        (query.Status is not { } status || incident.Status == status)
        && (query.Severity is not { } severity || incident.Severity == severity)
        && (query.Rule is not { } rule || incident.Findings.Any(f => string.Equals(f.Rule, rule, StringComparison.Ordinal)))
        && (query.Since is not { } since || incident.LastSeen >= since);

    private sealed class Entry
    {
        public Incident Incident = null!;
        public readonly List<AuditEntry> Audit = [];
        public int UpdatesFolded;
    }
}
