using Soar.Events;

namespace Soar.Enrichment;

/// <summary>What is known about an attacker address: VirusTotal reputation and local blocklists.</summary>
public interface IThreatIntel
{
    /// <summary>
    /// What is known about <paramref name="ip"/> now, waiting up to <paramref name="wait"/> for a
    /// lookup in progress. Never throws for a service failure: the report says what happened.
    /// Higher <paramref name="priority"/> lookups are served first when the quota is short.
    /// </summary>
    ValueTask<IntelReport> LookupAsync(string ip, Severity priority, TimeSpan wait, CancellationToken cancellationToken);
}

public enum IntelStatus : byte
{
    /// <summary>No VirusTotal key configured.</summary>
    NotConfigured,
    /// <summary>A private, loopback, reserved or documentation address: never sent out.</summary>
    InternalAddress,
    /// <summary>Queued or in flight; the incident goes out without it and is updated later.</summary>
    Pending,
    Found,
    /// <summary>VirusTotal has no data on the address.</summary>
    NotFound,
    /// <summary>Switched off after an authentication error, or failed for good.</summary>
    Unavailable,
}

/// <summary>The threat intelligence on one address. Every VirusTotal attribute is optional.</summary>
public sealed record IntelReport
{
    public required string Ip { get; init; }
    public required IntelStatus Status { get; init; }
    /// <summary>A short human-readable reason when there is no verdict ("VirusTotal not configured").</summary>
    public string? Note { get; init; }
    public int? Malicious { get; init; }
    public int? Suspicious { get; init; }
    public int? Harmless { get; init; }
    public int? Undetected { get; init; }
    public int? Timeout { get; init; }
    public int? Reputation { get; init; }
    public string? Country { get; init; }
    public string? AsOwner { get; init; }
    public long? Asn { get; init; }
    public string? Network { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public DateTimeOffset? LastAnalysisDate { get; init; }
    /// <summary>https://www.virustotal.com/gui/ip-address/{ip}</summary>
    public string? GuiLink { get; init; }
    /// <summary>Names of the local blocklists that list the address.</summary>
    public IReadOnlyList<string> BlocklistHits { get; init; } = [];
    public DateTimeOffset? FetchedAt { get; init; }
}

/// <summary>Used when no VirusTotal key is configured: says so, never waits.</summary>
public sealed class NotConfiguredThreatIntel : IThreatIntel
{
    public ValueTask<IntelReport> LookupAsync(string ip, Severity priority, TimeSpan wait, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new IntelReport { Ip = ip, Status = IntelStatus.NotConfigured, Note = "VirusTotal not configured" });
}
