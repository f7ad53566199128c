using Soar.Events;
using Soar.Response.Console;

namespace Soar.Tests.Response.Console;

public class ConsoleCardTests
{
    private static Incident Incident(Severity severity, params string[] users) => new()
    {
        Id = 7,
        Key = IncidentKey.SourceIp("203.0.113.5"),
        Status = IncidentStatus.Open,
        Findings = [new Finding("ssh-bruteforce", "SSH brute force", severity, 12, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "why")],
        Users = users,
        Hosts = ["web-01"],
        Attempts = 12,
        FirstSeen = DateTimeOffset.UnixEpoch,
        LastSeen = DateTimeOffset.UnixEpoch.AddSeconds(30),
        OpenedAt = DateTimeOffset.UnixEpoch.AddSeconds(11),
    };

    [Fact]
    public void TerminalEscapesInUserNamesAreShownNotObeyed()
    {
        var card = ConsoleCard.Format(new(IncidentChangeKind.Opened, Incident(Severity.High, "root\u001b[2J\u202e")), colour: false);
        Assert.DoesNotContain('\u001b', card);
        Assert.DoesNotContain('\u202e', card);
        Assert.Contains("root\\u001b[2J\\u202e", card);
    }

    [Theory]
    [InlineData(Severity.Critical, "\u001b[91m")]
    [InlineData(Severity.High, "\u001b[38;5;208m")]
    [InlineData(Severity.Medium, "\u001b[93m")]
    [InlineData(Severity.Low, "\u001b[94m")]
    public void TheCardIsColouredBySeverity(Severity severity, string colour) =>
        Assert.StartsWith(colour, ConsoleCard.Format(new(IncidentChangeKind.Opened, Incident(severity, "root")), colour: true));

    [Fact]
    public void TheCardShowsTheAssessedSeverityWithItsReasonAndTheIntel()
    {
        var intel = new Soar.Enrichment.IntelReport
        {
            Ip = "203.0.113.5", Status = Soar.Enrichment.IntelStatus.Found, Malicious = 9, Suspicious = 1, Harmless = 60,
            Undetected = 20, Asn = 64500, AsOwner = "Evil\u001b[31m Corp", Country = "NL", BlocklistHits = ["firehol_level1"],
        };
        var card = ConsoleCard.Format(new(IncidentChangeKind.Opened, Incident(Severity.High, "root")), colour: false, intel,
            new Soar.Response.Outbox.SeverityAssessment(Severity.Critical, "critical: SSH brute force is high, raised one level: VirusTotal: 9 engines say malicious"));

        Assert.Contains(" CRITICAL · SSH brute force — 203.0.113.5 ", card);
        Assert.Contains("Severity   critical — SSH brute force is high, raised one level: VirusTotal: 9 engines say malicious", card);
        Assert.Contains("VirusTotal 9 malicious, 1 suspicious of 90 engines · AS64500 · Evil\\u001b[31m Corp · NL", card);
        Assert.Contains("Blocklists firehol_level1", card);
        Assert.DoesNotContain('\u001b', card);
    }

    [Fact]
    public void ALongUserListIsBounded()
    {
        var users = Enumerable.Range(0, 50).Select(i => $"user{i}").ToArray();
        var card = ConsoleCard.Format(new(IncidentChangeKind.Opened, Incident(Severity.High, users)), colour: false);
        Assert.Contains("(+42 more)", card);
        Assert.DoesNotContain("user49", card);
    }
}
