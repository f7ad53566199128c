namespace Soar.Enrichment;

/// <summary>Enrichment as the pipeline sees it (configuration section "Enrichment").</summary>
public sealed class EnrichmentOptions
{
    /// <summary>How long an incident waits for its enrichment before it goes out marked "enrichment
    /// pending" (pass it as the <c>wait</c> of <see cref="IThreatIntel.LookupAsync"/>).</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (Deadline < TimeSpan.Zero) throw new ArgumentException("Enrichment:Deadline must not be negative.");
    }
}
