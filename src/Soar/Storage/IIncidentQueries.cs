using Soar.Events;

namespace Soar.Storage;

/// <summary>Which incidents to list: every filter is optional; newest activity first.</summary>
public sealed record IncidentFilter
{
    public IncidentStatus? Status { get; init; }
    /// <summary>Exactly this severity.</summary>
    public Severity? Severity { get; init; }
    /// <summary>Incidents with a finding of this rule.</summary>
    public string? Rule { get; init; }
    /// <summary>Incidents active at or after this time (last_seen).</summary>
    public DateTimeOffset? Since { get; init; }
    public int Offset { get; init; }
    /// <summary>At most this many (1 to 1000).</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>One entry of an incident's audit trail: a step of its lifecycle, with its time.</summary>
public sealed record IncidentAuditEntry(
    long Id,
    long IncidentId,
    /// <summary>Event time of the change.</summary>
    DateTimeOffset At,
    /// <summary>When the store recorded it (wall clock).</summary>
    DateTimeOffset RecordedAt,
    /// <summary>opened, finding, escalated, resolved, notified or delivery_failed.</summary>
    string Change,
    Severity Severity,
    string Detail);

public sealed record IncidentDetails(Incident Incident, IReadOnlyList<IncidentAuditEntry> Audit);

/// <summary>Reads incidents (for the HTTP API and <c>soar incidents</c>). Thread-safe.</summary>
public interface IIncidentQueries
{
    IReadOnlyList<Incident> List(IncidentFilter filter);

    /// <summary>One incident with its audit trail, oldest entry first; null when there is none with that id.</summary>
    IncidentDetails? Get(long id);
}
