using System.Text.Json.Serialization;

namespace Soar.Events;

/// <summary>What an incident is about: one attacker, by source address or by targeted user.</summary>
public readonly record struct IncidentKey(string Field, string Value)
{
    public static IncidentKey SourceIp(string ip) => new("src_ip", ip);
    public static IncidentKey User(string user) => new("user", user);
    public override string ToString() => $"{Field}={Value}";
}

public enum IncidentStatus : byte
{
    Open,
    Resolved,
}

/// <summary>One rule that fired for an incident.</summary>
public sealed record Finding(
    string Rule,
    string Title,
    Severity Severity,
    int Count,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    string Reason);

/// <summary>
/// An immutable view of an incident at one moment. Detection owns the mutable state;
/// everything downstream (store, enrichment, responders) sees snapshots.
/// </summary>
public sealed record Incident
{
    public required long Id { get; init; }
    public required IncidentKey Key { get; init; }
    public required IncidentStatus Status { get; init; }
    public required IReadOnlyList<Finding> Findings { get; init; }
    public required IReadOnlyList<string> Users { get; init; }
    public required IReadOnlyList<string> Hosts { get; init; }
    public required int Attempts { get; init; }
    public required DateTimeOffset FirstSeen { get; init; }
    public required DateTimeOffset LastSeen { get; init; }
    /// <summary>When the incident was opened, on event time.</summary>
    public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>What detection says: the highest severity of its findings.</summary>
    [JsonIgnore]
    public Severity DetectedSeverity => Findings.Count == 0 ? Severity.Low : Findings.Max(f => f.Severity);

    /// <summary>The severity threat intel raised the incident to (the severity policy on a VirusTotal verdict or a
    /// blocklist hit), as the store keeps it; null when intel raised nothing.</summary>
    public Severity? IntelSeverity { get; init; }

    /// <summary>Why intel raised it, e.g. "critical: SSH brute force is high, raised one level: VirusTotal: 6 engines say malicious".</summary>
    public string? IntelReason { get; init; }

    /// <summary>The severity people see: detection's, or higher when threat intel raised it.</summary>
    public Severity Severity => IntelSeverity is { } raised && raised > DetectedSeverity ? raised : DetectedSeverity;

    /// <summary>True when threat intel, not detection, sets <see cref="Severity"/>.</summary>
    [JsonIgnore]
    public bool RaisedByIntel => IntelSeverity is { } raised && raised > DetectedSeverity;
}

public enum IncidentChangeKind : byte
{
    Opened,
    Updated,
    Escalated,
    Resolved,
}

/// <summary>A change to an incident, as responders hear about it. <paramref name="At"/> is the event time of the
/// change (default: the incident's last_seen); <paramref name="Detail"/> says what changed, for the audit trail.</summary>
public sealed record IncidentChange(IncidentChangeKind Kind, Incident Incident, string Detail = "", DateTimeOffset At = default)
{
    public DateTimeOffset Time => At == default ? Incident.LastSeen : At;
}
