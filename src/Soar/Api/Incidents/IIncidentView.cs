using Soar.Events;

namespace Soar.Api.Incidents;

/// <summary>
/// What the HTTP API reads about incidents. Implemented in memory today
/// (<see cref="InMemoryIncidentView"/>); the SQLite incident store answers it once it exists.
/// </summary>
public interface IIncidentView
{
    ValueTask<IncidentPage> ListAsync(IncidentQuery query, CancellationToken cancellationToken);

    /// <summary>One incident with its audit trail, or null when there is none with that id.</summary>
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

/// <summary>One page of incidents, newest first, and how many match in all.</summary>
public sealed record IncidentPage(IReadOnlyList<Incident> Incidents, int Total);

public sealed record IncidentRecord(Incident Incident, IReadOnlyList<IncidentAuditEntry> Audit);

/// <summary>One step in an incident's life: what changed, when, and what it looked like after.
/// Consecutive updates are folded into one entry that counts them.</summary>
public sealed record IncidentAuditEntry(
    DateTimeOffset At,
    IncidentChangeKind Change,
    Severity Severity,
    int Attempts,
    int Times);
