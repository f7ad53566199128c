namespace Soar.Enrichment;

/// <summary>Thresholds of the <see cref="SeverityPolicy"/> (configuration section "SeverityPolicy").</summary>
public sealed class SeverityPolicyOptions
{
    /// <summary>VirusTotal engines that must call the address malicious to raise the severity.</summary>
    public int MaliciousThreshold { get; set; } = 5;

    /// <summary>Rules whose finding means the attacker got in: the incident is then always critical.
    /// A rule whose id contains "compromise" counts too.</summary>
    public List<string> CompromiseRules { get; set; } = ["ssh-compromise"];

    public void Validate()
    {
        if (MaliciousThreshold < 1) throw new ArgumentException("SeverityPolicy:MaliciousThreshold must be at least 1.");
    }
}
