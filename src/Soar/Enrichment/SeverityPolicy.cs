using System.Globalization;
using System.Text;
using Soar.Events;

namespace Soar.Enrichment;

/// <summary>
/// Decides an incident's final severity from what detection found and what threat intelligence
/// says. Pure: no I/O, no clock. The rules, in order:
/// <list type="number">
/// <item>A compromise (a finding of a compromise rule) is always critical.</item>
/// <item>Otherwise start from the rule's severity (the highest of the findings).</item>
/// <item>Raise it one level when VirusTotal counts at least <see cref="SeverityPolicyOptions.MaliciousThreshold"/>
/// malicious verdicts, or a local blocklist lists the address. Both together still raise one level
/// (they are two views of one fact: the address is known to be bad). Critical stays critical.</item>
/// <item>Intel never lowers a severity: a clean reputation does not make an attack harmless, and a raise
/// the store already keeps (<see cref="Incident.IntelSeverity"/>) stays when the intel is not at hand.</item>
/// </list>
/// The reason says which rule applied, for the card.
/// </summary>
public sealed class SeverityPolicy(SeverityPolicyOptions options)
{
    public SeverityPolicy() : this(new SeverityPolicyOptions()) { }

    public (Severity Severity, string Reason) Classify(Incident incident, IntelReport? intel)
    {
        var compromise = incident.Findings.FirstOrDefault(IsCompromise);
        if (compromise is not null)
            return (Severity.Critical, $"critical: {compromise.Title} (a compromise is always critical)");

        var top = incident.Findings.Count == 0 ? null : incident.Findings.MaxBy(f => f.Severity);
        // Detection's severity, never one intel raised before: a raise is one level, once.
        var baseSeverity = incident.DetectedSeverity;
        var origin = top is null ? "no finding" : $"{top.Title} is {baseSeverity.Name()}";

        var evidence = Evidence(intel);
        var (severity, reason) = evidence.Count == 0 ? (baseSeverity, $"{baseSeverity.Name()}: {origin}")
            : baseSeverity == Severity.Critical ? (baseSeverity, $"{baseSeverity.Name()}: {origin}; {Join(evidence)}")
            : (baseSeverity + 1, $"{(baseSeverity + 1).Name()}: {origin}, raised one level: {Join(evidence)}");
        return incident.RaisedByIntel && incident.Severity > severity ? (incident.Severity, incident.IntelReason ?? reason) : (severity, reason);
    }

    private bool IsCompromise(Finding finding) =>
        options.CompromiseRules.Contains(finding.Rule, StringComparer.OrdinalIgnoreCase)
        || finding.Rule.Contains("compromise", StringComparison.OrdinalIgnoreCase);

    private List<string> Evidence(IntelReport? intel)
    {
        var evidence = new List<string>(2);
        if (intel is null) return evidence;
        if (intel.Malicious is { } malicious && malicious >= options.MaliciousThreshold)
            evidence.Add(string.Create(CultureInfo.InvariantCulture, $"VirusTotal: {malicious} engines say malicious"));
        if (intel.BlocklistHits.Count > 0)
            evidence.Add($"on blocklist {string.Join(", ", intel.BlocklistHits)}");
        return evidence;
    }

    private static string Join(List<string> parts) => new StringBuilder().AppendJoin("; ", parts).ToString();
}
