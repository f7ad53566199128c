using Soar.Enrichment;
using Soar.Events;

namespace Soar.Response.Outbox;

/// <summary>One outbox row as a responder sees it, with the threat intel and severity assessment
/// known at delivery time.</summary>
public sealed record Notification(
    long Id,
    IncidentChangeKind Kind,
    Incident Incident,
    string IncidentRef,
    int Attempt,
    DateTimeOffset CreatedAt,
    IntelReport Intel,
    SeverityAssessment Assessment)
{
    public IncidentChange Change => new(Kind, Incident);
}

/// <summary>The severity shown to people, and why: <see cref="SeverityPolicy"/> on the incident and its intel.</summary>
public sealed record SeverityAssessment(Severity Severity, string Reason);
