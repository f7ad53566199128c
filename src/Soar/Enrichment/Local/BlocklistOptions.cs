namespace Soar.Enrichment.Local;

/// <summary>Local threat intelligence: blocklist files (configuration section "Blocklists").</summary>
public sealed class BlocklistOptions
{
    /// <summary>Files of IPs and CIDRs, one per line, <c>#</c> or <c>;</c> comments (FireHOL, Spamhaus DROP).
    /// Each list is named after its file name without the extension.</summary>
    public List<string> Files { get; set; } = [];

    /// <summary>How often the files are checked for changes (modification time and size).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (CheckInterval <= TimeSpan.Zero)
            throw new ArgumentException("Blocklists:CheckInterval must be positive.");
        if (Files.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("Blocklists:Files must not contain an empty path.");
    }
}
