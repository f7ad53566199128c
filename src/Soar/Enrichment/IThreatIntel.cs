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

    /// <summary>
    /// Raised each time a lookup that went out to VirusTotal ends (found, not found, or failed),
    /// whether or not a caller was still waiting for it. A caller whose <see cref="LookupAsync"/>
    /// returned <see cref="IntelStatus.Pending"/> hears the outcome here, matched by
    /// <see cref="IntelReport.Ip"/> (the canonical form, <c>IPAddress.ToString()</c>, IPv4-mapped
    /// addresses as IPv4), and updates the incident (and its card). Raised on a
    /// background thread; handlers must be quick, and an exception they throw is logged and ignored.
    /// </summary>
    event EventHandler<IntelReport>? ReportReady;
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
    /// <summary>When VirusTotal answered (for a cached report: when it was first fetched).</summary>
    public DateTimeOffset? FetchedAt { get; init; }

    /// <summary>True when the report was served from the cache rather than asked for now.</summary>
    public bool FromCache { get; init; }

    /// <summary>A final answer: found, not found, internal, not configured or unavailable; not pending.</summary>
    public bool IsFinal => Status != IntelStatus.Pending;
}

/// <summary>Used when no VirusTotal key is configured: says so, never waits.</summary>
public sealed class NotConfiguredThreatIntel : IThreatIntel
{
    /// <summary>Never raised: nothing is ever pending.</summary>
    public event EventHandler<IntelReport>? ReportReady { add { } remove { } }

    public ValueTask<IntelReport> LookupAsync(string ip, Severity priority, TimeSpan wait, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new IntelReport { Ip = ip, Status = IntelStatus.NotConfigured, Note = "VirusTotal not configured" });
}
