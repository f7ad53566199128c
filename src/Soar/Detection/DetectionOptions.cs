using Soar.Detection.Rules;

namespace Soar.Detection;

/// <summary>Configuration section <c>Detection</c>.</summary>
public sealed class DetectionOptions
{
    /// <summary>A directory of rule files (*.yaml, with tests/ beside them) that replaces the embedded defaults.</summary>
    public string? RulesDirectory { get; set; }

    /// <summary>Source networks (CIDR, or single addresses) whose events never open incidents.</summary>
    public List<string> Allowlist { get; set; } = [];

    /// <summary>An incident with no activity for this long (event time) resolves.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Events this much older than the newest seen still count; older ones are late and dropped.</summary>
    public TimeSpan OutOfOrderTolerance { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks every value and loads the rules; throws with the key (or the rule file, line and key) at fault.</summary>
    public (IReadOnlyList<RuleDefinition> Rules, Allowlist Allowlist) Validate()
    {
        if (QuietPeriod <= TimeSpan.Zero) throw new ArgumentException("Detection:QuietPeriod must be positive.");
        if (OutOfOrderTolerance < TimeSpan.Zero) throw new ArgumentException("Detection:OutOfOrderTolerance must not be negative.");
        var allowlist = Detection.Allowlist.Parse(Allowlist);
        try
        {
            return (RuleLoader.Load(RulesDirectory), allowlist);
        }
        catch (RuleLoadException e)
        {
            throw new ArgumentException($"Detection:RulesDirectory: {e.Message}", e);
        }
    }
}
