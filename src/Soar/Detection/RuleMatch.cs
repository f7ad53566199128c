using Soar.Events;

namespace Soar.Detection;

/// <summary>
/// A rule fired for one key: what local detection produces, and what an external detector
/// (a Splunk alert) is turned into. The <see cref="IncidentTracker"/> turns matches into incidents.
/// </summary>
public sealed record RuleMatch(
    string Rule,
    string Title,
    Severity Severity,
    IncidentKey Key,
    int Count,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    IReadOnlyList<string> Users,
    IReadOnlyList<string> Hosts,
    string Reason);
