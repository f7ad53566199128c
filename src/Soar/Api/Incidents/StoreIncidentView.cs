using Soar.Storage;

namespace Soar.Api.Incidents;

/// <summary>The HTTP API's view of incidents when the SQLite store keeps them (as <c>soar run</c> does).</summary>
public sealed class StoreIncidentView(IIncidentQueries store) : IIncidentView
{
    public ValueTask<IReadOnlyList<Events.Incident>> ListAsync(IncidentQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(store.List(new IncidentFilter
        {
            Status = query.Status,
            Severity = query.Severity,
            Rule = query.Rule,
            Since = query.Since,
            Offset = query.Offset,
            Limit = query.Limit,
        }));

    public ValueTask<IncidentRecord?> GetAsync(long id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(store.Get(id) is { } details
            ? new IncidentRecord(details.Incident,
                [.. details.Audit.Select(a => new AuditEntry(a.At, a.RecordedAt, a.Change, a.Severity, a.Detail))])
            : null);
}
