using Soar.Detection.Attempts;
using Soar.Events;

namespace Soar.Detection.Rules;

/// <summary>The kinds of rule the engine knows; each rule is data (rules/*.yaml).</summary>
public enum RuleKind : byte
{
    /// <summary>At least <see cref="RuleDefinition.MinCount"/> matching signals for one key within the window.</summary>
    Threshold,
    /// <summary>At least <see cref="RuleDefinition.MinCount"/> distinct values of a field for one key within the window.</summary>
    Distinct,
    /// <summary>A <see cref="RuleDefinition.Then"/> signal for a key that has the threshold part within the window before it.</summary>
    Sequence,
}

/// <summary>The fields a rule can group by or count distinct values of.</summary>
public enum KeyField : byte
{
    SourceIp,
    User,
}

public static class KeyFieldNames
{
    public static string Name(this KeyField field) => field == KeyField.SourceIp ? "src_ip" : "user";

    public static bool TryParse(string text, out KeyField field)
    {
        field = text == "user" ? KeyField.User : KeyField.SourceIp;
        return text is "src_ip" or "user";
    }

    public static string? Of(this KeyField field, in Signal signal) =>
        field == KeyField.SourceIp ? signal.SourceIp : signal.User;
}

/// <summary>One detection rule, validated. Thresholds are held as "at least N" (<c>more_than: 10</c> is 11).</summary>
public sealed record RuleDefinition
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public required RuleKind Kind { get; init; }
    public required Severity Severity { get; init; }
    /// <summary>The signal counted: failed attempts, successes or probes.</summary>
    public required SignalKind On { get; init; }
    public required KeyField GroupBy { get; init; }
    /// <summary>For <see cref="RuleKind.Distinct"/>: the field whose distinct values are counted.</summary>
    public KeyField? Distinct { get; init; }
    /// <summary>For <see cref="RuleKind.Sequence"/>: the signal that completes the sequence.</summary>
    public SignalKind? Then { get; init; }
    public required int MinCount { get; init; }
    /// <summary>True when the rule wrote <c>at_least</c> (said so in <see cref="Condition"/>), false for <c>more_than</c>.</summary>
    public bool AtLeast { get; init; }
    public required TimeSpan Window { get; init; }
    /// <summary>The window as the rule wrote it (60s, 10m).</summary>
    public string WindowText { get; init; } = "";
    /// <summary>Where the rule came from: a file path or an embedded default.</summary>
    public string Source { get; init; } = "";

    /// <summary>The condition in words, e.g. "more than 10 failures by src_ip in 60s".</summary>
    public string Condition => (WindowText.Length == 0 ? this with { WindowText = Durations.Format(Window) } : this).Describe();

    private string Describe() => Kind switch
    {
        RuleKind.Threshold => $"{(AtLeast ? $"at least {MinCount}" : $"more than {MinCount - 1}")} {On.Plural()} by {GroupBy.Name()} in {WindowText}",
        RuleKind.Distinct =>
            $"at least {MinCount} distinct {Distinct!.Value.Name()} with {On.Plural()} by {GroupBy.Name()} in {WindowText}",
        _ => $"a {Then!.Value.Name()} by {GroupBy.Name()} after at least {MinCount} {On.Plural()} in {WindowText}",
    };
}
