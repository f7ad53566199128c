using Soar.Events;

namespace Soar.Response.Routing;

/// <summary>
/// Which incidents one responder hears about, from configuration <c>Response:Routes:&lt;responder&gt;</c>:
/// a minimum severity and, optionally, the rules whose incidents it takes. Empty means everything.
/// </summary>
public sealed class ResponseRoute
{
    /// <summary>low, medium, high or critical; incidents below it are not sent.</summary>
    public string? MinSeverity { get; set; }

    /// <summary>Rule ids; when set, only incidents with a finding of one of these rules are sent.</summary>
    public List<string> Rules { get; set; } = [];

    /// <summary>Set to false to switch a configured responder off without removing its settings.</summary>
    public bool Enabled { get; set; } = true;

    private Severity _minimum = Severity.Low;

    /// <summary>Checks the values; the message names the configuration key.</summary>
    public ResponseRoute Validate(string responder)
    {
        if (MinSeverity is not null && !SeverityNames.TryParse(MinSeverity, out _minimum))
            throw new ArgumentException(
                $"Response:Routes:{responder}:MinSeverity must be low, medium, high or critical, not '{MinSeverity}'.");
        if (Rules.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"Response:Routes:{responder}:Rules has an empty rule id.");
        return this;
    }

    public bool Matches(Incident incident) =>
        Enabled
        && incident.Severity >= _minimum
        && (Rules.Count == 0 || incident.Findings.Any(f => Rules.Contains(f.Rule, StringComparer.Ordinal)));
}
