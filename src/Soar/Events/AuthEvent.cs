namespace Soar.Events;

/// <summary>
/// One recognised authentication event from an sshd log line. Every text field except
/// <see cref="Host"/> and <see cref="Program"/> may be attacker-controlled.
/// </summary>
public sealed record AuthEvent
{
    /// <summary>Event time, from the log line (not the time it was received).</summary>
    public required DateTimeOffset Time { get; init; }
    public required string Host { get; init; }
    public required string Program { get; init; }
    public int? Pid { get; init; }
    public required AuthEventKind Kind { get; init; }
    public required AuthOutcome Outcome { get; init; }
    public string? User { get; init; }
    public bool InvalidUser { get; init; }
    /// <summary>Normalised source address (IPv4-mapped IPv6 as IPv4), or a host name from PAM's rhost.</summary>
    public string? SourceIp { get; init; }
    public int? SourcePort { get; init; }
    /// <summary>Authentication method as sshd names it: password, publickey, keyboard-interactive/pam, …</summary>
    public string? Method { get; init; }
    /// <summary>
    /// How many times sshd logged this message: N for rsyslog's "message repeated N times: [ … ]",
    /// otherwise 1. A rule counting attempts adds this, not 1.
    /// </summary>
    public int Count { get; init; } = 1;
    /// <summary>The whole log line as received.</summary>
    public required string Line { get; init; }
}
