using System.Globalization;
using System.Net;
using System.Text;
using Soar.Enrichment;
using Soar.Events;
using Soar.Response.Outbox;

namespace Soar.Response.Discord;

/// <summary>
/// The Discord card of an incident: one embed, colour by severity, the facts people act on, and
/// time-to-detect / time-to-notify in the footer. Pure: no I/O, the time is given. Every
/// attacker-controlled string goes through <see cref="DiscordText.Escape"/>, and the result
/// through <see cref="DiscordLimits.Enforce"/>; mentions are never parsed.
/// </summary>
public static class IncidentCard
{
    public const int Red = 0xE74C3C;
    public const int Orange = 0xE67E22;
    public const int Yellow = 0xF1C40F;
    public const int Blue = 0x3498DB;
    private const int MaxUsersShown = 15;
    private const int MaxHostsShown = 10;
    private const int MaxNameLength = 48;

    public static int Colour(Severity severity) => severity switch
    {
        Severity.Critical => Red,
        Severity.High => Orange,
        Severity.Medium => Yellow,
        _ => Blue,
    };

    /// <param name="notification">The incident change, with intel and assessment.</param>
    /// <param name="now">When the card is sent: time-to-notify is measured to it.</param>
    /// <param name="mentionRoleId">Set for a new card that should mention a role (critical incidents).</param>
    /// <param name="username">The name the card is posted under.</param>
    public static DiscordMessage Build(Notification notification, DateTimeOffset now, string? mentionRoleId = null,
        string? username = null)
    {
        var incident = notification.Incident;
        var assessment = notification.Assessment;
        var strongest = incident.Findings.OrderByDescending(f => f.Severity).FirstOrDefault();
        var prefix = notification.Kind switch
        {
            IncidentChangeKind.Escalated => "Escalated · ",
            IncidentChangeKind.Resolved => "Resolved · ",
            _ => incident.Status == IncidentStatus.Resolved ? "Resolved · " : "",
        };
        var fields = new List<DiscordField>
        {
            Attacker(incident, notification.Intel),
            new("Severity", $"**{assessment.Severity.Name().ToUpperInvariant()}** — {DiscordText.Escape(assessment.Reason, 900)}"),
            new("Failures", Number(incident.Attempts), Inline: true),
            new("Distinct users", Number(incident.Users.Count), Inline: true),
            new("Status", incident.Status == IncidentStatus.Open ? "open" : "resolved", Inline: true),
            new("First seen", Time(incident.FirstSeen), Inline: true),
            new("Last seen", Time(incident.LastSeen), Inline: true),
            new("Duration", Duration(incident.LastSeen - incident.FirstSeen), Inline: true),
            new("Targeted users", BoundedList(incident.Users, MaxUsersShown)),
            new("Target hosts", BoundedList(incident.Hosts, MaxHostsShown)),
            new("VirusTotal", Verdict(notification.Intel)),
            new(incident.Findings.Count == 1 ? "Rule" : "Rules", Rules(incident.Findings)),
        };
        var embed = new DiscordEmbed
        {
            Title = prefix + $"{DiscordText.Escape(strongest?.Title ?? "Incident", 120)} — {KeyText(incident.Key, 100)}",
            Url = VirusTotalLink(incident, notification.Intel),
            Color = Colour(assessment.Severity),
            Timestamp = incident.LastSeen.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            Fields = fields,
            Footer = new DiscordFooter(string.Create(CultureInfo.InvariantCulture,
                $"Soar · incident #{incident.Id} · detected in {Duration(incident.OpenedAt - incident.FirstSeen)} · notified in {Duration(now - notification.CreatedAt)}")),
        };
        var mention = mentionRoleId is not null && assessment.Severity == Severity.Critical;
        return DiscordLimits.Enforce(new DiscordMessage
        {
            Content = mention ? $"<@&{mentionRoleId}> critical incident" : null,
            Username = username,
            Embeds = [embed],
            AllowedMentions = mention ? new DiscordAllowedMentions { Roles = [mentionRoleId!] } : DiscordAllowedMentions.None,
        });
    }

    /// <summary>What an older card becomes when the incident escalates and a fresh card is posted.</summary>
    public static DiscordMessage Superseded(Notification notification, string? newCardLink, string? username = null)
    {
        var incident = notification.Incident;
        var pointer = newCardLink is null ? "the newer card below" : $"[the newer card]({newCardLink})";
        return DiscordLimits.Enforce(new DiscordMessage
        {
            Username = username,
            Embeds =
            [
                new DiscordEmbed
                {
                    Title = $"Escalated to {notification.Assessment.Severity.Name().ToUpperInvariant()} — {KeyText(incident.Key, 100)}",
                    Description = $"This card is out of date: the incident escalated. See {pointer}.",
                    Color = Colour(notification.Assessment.Severity),
                    Footer = new DiscordFooter(string.Create(CultureInfo.InvariantCulture, $"Soar · incident #{incident.Id}")),
                },
            ],
            AllowedMentions = DiscordAllowedMentions.None,
        });
    }

    private static DiscordField Attacker(Incident incident, IntelReport intel)
    {
        if (incident.Key.Field != "src_ip") return new DiscordField("Targeted user", KeyText(incident.Key, 200));
        var link = VirusTotalLink(incident, intel);
        var ip = KeyText(incident.Key, 100);
        return new DiscordField("Attacker", link is null ? ip : $"{ip} · [VirusTotal]({link})");
    }

    private static string KeyText(IncidentKey key, int max) =>
        key.Field == "src_ip" && IPAddress.TryParse(key.Value, out var ip)
            ? ip.ToString() // canonical form: digits, dots, colons and hex only
            : key.Field == "user" ? "user " + DiscordText.Escape(key.Value, max) : DiscordText.Escape(key.Value, max);

    private static string? VirusTotalLink(Incident incident, IntelReport intel) =>
        incident.Key.Field == "src_ip" && IPAddress.TryParse(incident.Key.Value, out var ip)
            ? $"https://www.virustotal.com/gui/ip-address/{ip}"
            : null;

    private static string BoundedList(IReadOnlyList<string> values, int shown)
    {
        if (values.Count == 0) return "none";
        var list = string.Join(", ", values.Take(shown).Select(v => DiscordText.Escape(v, MaxNameLength)));
        return values.Count > shown ? $"{list} (+{Number(values.Count - shown)} more)" : list;
    }

    private static string Verdict(IntelReport intel)
    {
        var text = new StringBuilder();
        if (intel.Status == IntelStatus.Found)
        {
            var engines = (intel.Malicious ?? 0) + (intel.Suspicious ?? 0) + (intel.Harmless ?? 0) + (intel.Undetected ?? 0) + (intel.Timeout ?? 0);
            text.Append(CultureInfo.InvariantCulture, $"**{intel.Malicious ?? 0}** malicious · **{intel.Suspicious ?? 0}** suspicious of {engines} engines");
            if (intel.Reputation is { } reputation) text.Append(CultureInfo.InvariantCulture, $"\nreputation {reputation}");
            var owner = intel.AsOwner is null ? null : DiscordText.Escape(intel.AsOwner, 100);
            var network = (intel.Asn, owner) switch
            {
                ({ } asn, { } o) => string.Create(CultureInfo.InvariantCulture, $"AS{asn} {o}"),
                ({ } asn, null) => string.Create(CultureInfo.InvariantCulture, $"AS{asn}"),
                (null, { } o) => o,
                _ => null,
            };
            var country = intel.Country is null ? null : DiscordText.Escape(intel.Country, 8);
            var where = string.Join(" · ", new[] { network, country }.Where(p => p is not null));
            if (where.Length > 0) text.Append('\n').Append(where);
        }
        else
        {
            text.Append(intel.Status switch
            {
                IntelStatus.NotConfigured => "not checked: VirusTotal not configured",
                IntelStatus.InternalAddress => "not checked: internal or reserved address",
                IntelStatus.Pending => "lookup pending; the card is updated when it arrives",
                IntelStatus.NotFound => "no data on this address",
                _ => "unavailable",
            });
            if (intel.Note is { Length: > 0 } note) text.Append(" (").Append(DiscordText.Escape(note, 200)).Append(')');
        }
        if (intel.BlocklistHits.Count > 0)
            text.Append("\nblocklists: ").Append(string.Join(", ", intel.BlocklistHits.Take(5).Select(b => DiscordText.Escape(b, 40))));
        return text.ToString();
    }

    private static string Rules(IReadOnlyList<Finding> findings) => findings.Count == 0
        ? "none"
        : string.Join("\n", findings.Take(10).Select(f => string.Create(CultureInfo.InvariantCulture,
            $"{DiscordText.Escape(f.Rule, 64)} ({f.Severity.Name()}, {f.Count}): {DiscordText.Escape(f.Reason, 200)}")));

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        return span.TotalSeconds switch
        {
            < 10 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s"),
            < 120 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s"),
            < 7200 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h"),
        };
    }
}
