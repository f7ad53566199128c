using Soar.Events;

namespace Soar.Api.Incidents;

/// <summary>
/// What the HTTP API reads about incidents. Implemented in memory today
/// (<see cref="InMemoryIncidentView"/>); the SQLite incident store answers it once it exists.
/// </summary>
public interface IIncidentView
{
    /// <summary>The incidents that match, most recently active first (last seen, then id), one page of them.</summary>
    ValueTask<IReadOnlyList<Incident>> ListAsync(IncidentQuery query, CancellationToken cancellationToken);

    /// <summary>One incident with its audit trail (oldest entry first), or null when there is none with that id.</summary>
    ValueTask<IncidentRecord?> GetAsync(long id, CancellationToken cancellationToken);
}

/// <summary>Filters (all optional, combined with AND) and a page. <see cref="Since"/> keeps incidents
/// active at or after that time (last seen).</summary>
public sealed record IncidentQuery(
    IncidentStatus? Status = null,
    Severity? Severity = null,
    string? Rule = null,
    DateTimeOffset? Since = null,
    int Offset = 0,
    int Limit = IncidentQuery.DefaultLimit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
}

public sealed record IncidentRecord(Incident Incident, IReadOnlyList<AuditEntry> Audit);

/// <summary>One step in an incident's life: what changed, at what event time, when it was recorded,
/// and the incident's severity after it.</summary>
public sealed record AuditEntry(
    DateTimeOffset At,
    DateTimeOffset RecordedAt,
    IncidentChangeKind Change,
    Severity Severity,
    string Detail);
