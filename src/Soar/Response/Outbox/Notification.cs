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

/// <summary>The severity shown to people, and why.</summary>
public sealed record SeverityAssessment(Severity Severity, string Reason);

/// <summary>
/// The hook for the severity policy (Enrichment/SeverityPolicy): (incident, intel) → severity and why.
/// The default takes the incident's own severity and its strongest finding's reason.
/// </summary>
public interface ISeverityAssessor
{
    SeverityAssessment Assess(Incident incident, IntelReport intel);
}

public sealed class FindingSeverityAssessor : ISeverityAssessor
{
    public SeverityAssessment Assess(Incident incident, IntelReport intel)
    {
        var strongest = incident.Findings.OrderByDescending(f => f.Severity).FirstOrDefault();
        return new SeverityAssessment(incident.Severity, strongest?.Reason ?? "no finding");
    }
}

/// <summary>
/// Adapts a policy function, e.g. <c>SeverityPolicy.Classify</c> of Enrichment:
/// <c>services.AddSingleton&lt;ISeverityAssessor&gt;(sp =&gt; new DelegateSeverityAssessor(sp.GetRequiredService&lt;SeverityPolicy&gt;().Classify))</c>.
/// </summary>
public sealed class DelegateSeverityAssessor(Func<Incident, IntelReport, (Severity Severity, string Reason)> policy) : ISeverityAssessor
{
    public SeverityAssessment Assess(Incident incident, IntelReport intel)
    {
        var (severity, reason) = policy(incident, intel);
        return new SeverityAssessment(severity, reason);
    }
}
