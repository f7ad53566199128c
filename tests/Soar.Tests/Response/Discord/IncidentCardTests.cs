using Soar.Enrichment;
using Soar.Events;
using Soar.Response.Discord;
using Soar.Response.Outbox;

namespace Soar.Tests.Response.Discord;

public class IncidentCardTests
{
    private static readonly DateTimeOffset Created = TestIncidents.Start.AddSeconds(41);

    private static Notification Notify(Incident incident, IncidentChangeKind kind = IncidentChangeKind.Opened, IntelReport? intel = null,
        SeverityAssessment? assessment = null) => new(
        7, kind, incident, "ref", 1, Created,
        intel ?? new IntelReport { Ip = incident.Key.Value, Status = IntelStatus.NotConfigured, Note = "VirusTotal not configured" },
        assessment ?? new SeverityAssessment(incident.Severity, incident.Findings.MaxBy(f => f.Severity)!.Reason));

    private static string Field(DiscordMessage message, string name) => message.Embeds[0].Fields.Single(f => f.Name == name).Value;

    [Theory]
    [InlineData(Severity.Critical, 0xE74C3C)]
    [InlineData(Severity.High, 0xE67E22)]
    [InlineData(Severity.Medium, 0xF1C40F)]
    [InlineData(Severity.Low, 0x3498DB)]
    public void TheColourFollowsTheSeverity(Severity severity, int colour) =>
        Assert.Equal(colour, IncidentCard.Build(Notify(TestIncidents.Make(severity: severity)), Created).Embeds[0].Color);

    [Fact]
    public void TheCardCarriesTheFactsPeopleActOn()
    {
        var card = IncidentCard.Build(Notify(TestIncidents.Make()), Created.AddMilliseconds(300));
        var embed = Assert.Single(card.Embeds);

        Assert.Equal("SSH brute force — 203.0.113.9", embed.Title);
        Assert.Equal("https://www.virustotal.com/gui/ip-address/203.0.113.9", embed.Url);
        Assert.Equal("203.0.113.9 · [VirusTotal](https://www.virustotal.com/gui/ip-address/203.0.113.9)", Field(card, "Attacker"));
        Assert.Equal("**HIGH** — 27 failed logins in 60 s", Field(card, "Severity"));
        Assert.Equal("27", Field(card, "Failures"));
        Assert.Equal("3", Field(card, "Distinct users"));
        Assert.Equal("2026-11-26 15:00:00Z", Field(card, "First seen"));
        Assert.Equal("2026-11-26 15:00:47Z", Field(card, "Last seen"));
        Assert.Equal("admin, root, oracle", Field(card, "Targeted users"));
        Assert.Equal("web\\-01", Field(card, "Target hosts"));
        Assert.Equal("not checked: VirusTotal not configured (VirusTotal not configured)", Field(card, "VirusTotal"));
        Assert.StartsWith("ssh\\-brute\\-force (high, 27)", Field(card, "Rule"));
        Assert.Equal("Soar · incident #1 · detected in 40 s · notified in 0.3 s", embed.Footer!.Text);
        Assert.Equal("2026-11-26T15:00:47.000Z", embed.Timestamp);
        Assert.Empty(card.AllowedMentions.Parse);
        Assert.Null(card.Content);
    }

    [Fact]
    public void AVirusTotalVerdictShowsEnginesReputationAndNetwork()
    {
        var intel = new IntelReport
        {
            Ip = "203.0.113.9", Status = IntelStatus.Found, Malicious = 6, Suspicious = 1, Harmless = 58, Undetected = 29, Timeout = 0,
            Reputation = -14, Asn = 64500, AsOwner = "Example Hosting Ltd", Country = "NL",
        };
        var card = IncidentCard.Build(Notify(TestIncidents.Make(), intel: intel), Created);
        Assert.Equal("**6** malicious · **1** suspicious of 94 engines\nreputation -14\nAS64500 Example Hosting Ltd · NL", Field(card, "VirusTotal"));
    }

    [Fact]
    public void APendingLookupSaysSo() =>
        Assert.StartsWith("lookup pending", Field(IncidentCard.Build(Notify(TestIncidents.Make(),
            intel: new IntelReport { Ip = "203.0.113.9", Status = IntelStatus.Pending }), Created), "VirusTotal"));

    [Fact]
    public void TheRoleIsMentionedOnlyOnCriticalCardsAndOnlyThatRole()
    {
        var critical = IncidentCard.Build(Notify(TestIncidents.Make(severity: Severity.Critical)), Created, mentionRoleId: "99");
        var high = IncidentCard.Build(Notify(TestIncidents.Make(severity: Severity.High)), Created, mentionRoleId: "99");

        Assert.Equal("<@&99> critical incident", critical.Content);
        Assert.Equal(["99"], critical.AllowedMentions.Roles!);
        Assert.Empty(critical.AllowedMentions.Parse);
        Assert.Null(high.Content);
        Assert.Null(high.AllowedMentions.Roles);
    }

    [Fact]
    public void TheAssessmentDecidesSeverityAndReason()
    {
        var card = IncidentCard.Build(Notify(TestIncidents.Make(severity: Severity.Medium),
            assessment: new SeverityAssessment(Severity.Critical, "VirusTotal: 12 engines say malicious")), Created);
        Assert.Equal(0xE74C3C, card.Embeds[0].Color);
        Assert.Equal("**CRITICAL** — VirusTotal\\: 12 engines say malicious", Field(card, "Severity"));
    }

    [Fact]
    public void HugeAttackerInputStillFitsEveryDiscordLimit()
    {
        var users = Enumerable.Range(0, 3000).Select(i => new string('u', 5000) + i).ToList();
        var hosts = Enumerable.Range(0, 500).Select(i => "h" + new string('*', 2000)).ToList();
        var findings = Enumerable.Range(0, 40).Select(i => new Finding("rule-" + i + new string('_', 300), new string('T', 400),
            Severity.High, 1, TestIncidents.Start, TestIncidents.Start, new string('r', 3000))).ToList();
        var incident = TestIncidents.Make(users: users, hosts: hosts, findings: findings, key: IncidentKey.User(new string('@', 5000)));
        var card = IncidentCard.Build(Notify(incident), Created, mentionRoleId: "1");

        var body = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(card))!.AsObject();
        Assert.Empty(FakeDiscord.Violations(body));
        Assert.True(DiscordLimits.TotalCharacters(card) <= DiscordLimits.Total);
        Assert.EndsWith("…", card.Embeds[0].Title);
        Assert.Contains("(+2,985 more)", Field(card, "Targeted users"));
    }

    [Fact]
    public void ASupersededCardPointsToTheNewOne()
    {
        var card = IncidentCard.Superseded(Notify(TestIncidents.Make(severity: Severity.Critical), IncidentChangeKind.Escalated),
            "https://discord.com/channels/1/2/3");
        Assert.Equal("Escalated to CRITICAL — 203.0.113.9", card.Embeds[0].Title);
        Assert.Contains("[the newer card](https://discord.com/channels/1/2/3)", card.Embeds[0].Description);
    }
}
