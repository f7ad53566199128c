using System.Globalization;
using System.Text;
using Soar.Events;

namespace Soar.Response.Console;

/// <summary>
/// Formats an incident as a card for a terminal. Pure: the same incident gives the same text.
/// All attacker-controlled text goes through <see cref="UntrustedText"/>.
/// </summary>
public static class ConsoleCard
{
    private const int Width = 72;
    private const int MaxUsersShown = 8;
    private const string Reset = "\u001b[0m";
    private const string Bold = "\u001b[1m";

    public static string Format(IncidentChange change, bool colour)
    {
        var incident = change.Incident;
        var severity = incident.Severity;
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
        foreach (var f in incident.Findings)
            Row("Finding", string.Create(CultureInfo.InvariantCulture,
                $"{f.Rule} ({f.Severity.Name()}): {f.Reason}"));
        Row("Attempts", incident.Attempts.ToString(CultureInfo.InvariantCulture));
        Row("Users", UserList(incident.Users));
        Row("Hosts", string.Join(", ", incident.Hosts.Select(h => UntrustedText.ForDisplay(h, 40))));
        Row("Seen", string.Create(CultureInfo.InvariantCulture,
            $"{Time(incident.FirstSeen)} → {Time(incident.LastSeen)} ({Duration(incident.LastSeen - incident.FirstSeen)})"));
        card.Append(paint).Append('╰').Append(new string('─', Width - 1)).Append(reset).AppendLine();
        return card.ToString();
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
