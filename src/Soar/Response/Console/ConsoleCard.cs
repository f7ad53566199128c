using System.Globalization;
using System.Text;
using Soar.Enrichment;
using Soar.Events;
using Soar.Response.Outbox;

namespace Soar.Response.Console;

/// <summary>
/// Formats an incident as a card for a terminal: the facts of the Discord card, including the
/// severity the policy gave it and why, and the threat intel. Pure: the same input gives the same
/// text. All attacker-controlled and third-party text goes through <see cref="UntrustedText"/>.
/// </summary>
public static class ConsoleCard
{
    private const int Width = 72;
    private const int MaxUsersShown = 8;
    private const string Reset = "\u001b[0m";
    private const string Bold = "\u001b[1m";

    /// <param name="intel">The threat intel known at delivery; null leaves its row out.</param>
    /// <param name="assessment">The severity shown and why; by default the incident's own.</param>
    public static string Format(IncidentChange change, bool colour, IntelReport? intel = null, SeverityAssessment? assessment = null)
    {
        var incident = change.Incident;
        var severity = assessment?.Severity ?? incident.Severity;
        var reason = assessment?.Reason ?? incident.IntelReason;
        var paint = colour ? SeverityColour(severity) : "";
        var reset = colour ? Reset : "";
        var bold = colour ? Bold : "";
        var finding = incident.Findings.MaxBy(f => f.Severity)!;

        var title = $" {severity.Name().ToUpperInvariant()} · {finding.Title} — {KeyText(incident.Key)} ";
        if (change.Kind == IncidentChangeKind.Escalated) title = " ESCALATED ·" + title;
        var card = new StringBuilder();
        card.Append(paint).Append("╭─").Append(bold).Append(title).Append(reset).Append(paint)
            .Append(new string('─', Math.Max(2, Width - title.Length - 2))).Append(reset).AppendLine();

        void Row(string label, string value) =>
            card.Append(paint).Append("│ ").Append(reset).Append(label.PadRight(11)).Append(value).AppendLine();

        Row("Incident", string.Create(CultureInfo.InvariantCulture,
            $"#{incident.Id} · {incident.Status.ToString().ToLowerInvariant()} · opened {Time(incident.OpenedAt)}"));
        Row(incident.Key.Field == "src_ip" ? "Attacker" : "Target", KeyText(incident.Key));
        // The policy's reason starts with the severity it gives ("critical: …"): said once here.
        if (reason is not null) Row("Severity", $"{severity.Name()} — {(reason.StartsWith(severity.Name() + ": ", StringComparison.Ordinal) ? reason[(severity.Name().Length + 2)..] : reason)}");
        foreach (var f in incident.Findings)
            Row("Finding", string.Create(CultureInfo.InvariantCulture,
                $"{f.Rule} ({f.Severity.Name()}): {f.Reason}"));
        Row("Attempts", incident.Attempts.ToString(CultureInfo.InvariantCulture));
        Row("Users", UserList(incident.Users));
        Row("Hosts", string.Join(", ", incident.Hosts.Select(h => UntrustedText.ForDisplay(h, 40))));
        Row("Seen", string.Create(CultureInfo.InvariantCulture,
            $"{Time(incident.FirstSeen)} → {Time(incident.LastSeen)} ({Duration(incident.LastSeen - incident.FirstSeen)})"));
        if (intel is not null && incident.Key.Field == "src_ip")
        {
            Row("VirusTotal", Verdict(intel));
            if (intel.BlocklistHits.Count > 0)
                Row("Blocklists", string.Join(", ", intel.BlocklistHits.Take(5).Select(b => UntrustedText.ForDisplay(b, 40))));
        }
        card.Append(paint).Append('╰').Append(new string('─', Width - 1)).Append(reset).AppendLine();
        return card.ToString();
    }

    private static string Verdict(IntelReport intel)
    {
        if (intel.Status != IntelStatus.Found)
        {
            var text = intel.Status switch
            {
                IntelStatus.NotConfigured => "not checked: not configured",
                IntelStatus.InternalAddress => "not checked: internal or reserved address",
                IntelStatus.Pending => "lookup pending",
                IntelStatus.NotFound => "no data on this address",
                _ => "unavailable" + (intel.Note is { Length: > 0 } note ? $" ({UntrustedText.ForDisplay(note, 80)})" : ""),
            };
            return text;
        }
        var engines = (intel.Malicious ?? 0) + (intel.Suspicious ?? 0) + (intel.Harmless ?? 0) + (intel.Undetected ?? 0) + (intel.Timeout ?? 0);
        var parts = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{intel.Malicious ?? 0} malicious, {intel.Suspicious ?? 0} suspicious of {engines} engines"),
        };
        if (intel.Reputation is { } reputation) parts.Add(string.Create(CultureInfo.InvariantCulture, $"reputation {reputation}"));
        if (intel.Asn is { } asn) parts.Add(string.Create(CultureInfo.InvariantCulture, $"AS{asn}"));
        if (intel.AsOwner is { } owner) parts.Add(UntrustedText.ForDisplay(owner, 40));
        if (intel.Country is { } country) parts.Add(UntrustedText.ForDisplay(country, 8));
        return string.Join(" · ", parts);
    }

    private static string KeyText(IncidentKey key) =>
        key.Field == "src_ip" ? UntrustedText.ForDisplay(key.Value, 45) : "user " + UntrustedText.ForDisplay(key.Value, 40);

    private static string UserList(IReadOnlyList<string> users)
    {
        var shown = string.Join(", ", users.Take(MaxUsersShown).Select(u => UntrustedText.ForDisplay(u, 24)));
        return users.Count > MaxUsersShown
            ? string.Create(CultureInfo.InvariantCulture, $"{shown} … (+{users.Count - MaxUsersShown} more)")
            : shown;
    }

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span) => span.TotalSeconds < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min");

    private static string SeverityColour(Severity severity) => severity switch
    {
        Severity.Critical => "\u001b[91m", // bright red
        Severity.High => "\u001b[38;5;208m", // orange
        Severity.Medium => "\u001b[93m", // yellow
        _ => "\u001b[94m", // blue
    };
}
