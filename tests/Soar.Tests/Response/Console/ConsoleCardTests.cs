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
    public void ALongUserListIsBounded()
    {
        var users = Enumerable.Range(0, 50).Select(i => $"user{i}").ToArray();
        var card = ConsoleCard.Format(new(IncidentChangeKind.Opened, Incident(Severity.High, users)), colour: false);
        Assert.Contains("(+42 more)", card);
        Assert.DoesNotContain("user49", card);
    }
}
