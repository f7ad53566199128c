using Soar.Events;
using Soar.Response.Routing;

namespace Soar.Tests.Response.Routing;

public class ResponseRouteTests
{
    [Fact]
    public void ARouteTakesIncidentsAtOrAboveItsSeverityAndOfItsRules()
    {
        var route = new ResponseRoute { MinSeverity = "high", Rules = ["ssh-brute-force"] }.Validate("discord");
        Assert.True(route.Matches(TestIncidents.Make(severity: Severity.High)));
        Assert.True(route.Matches(TestIncidents.Make(severity: Severity.Critical)));
        Assert.False(route.Matches(TestIncidents.Make(severity: Severity.Medium)));
        Assert.False(route.Matches(TestIncidents.Make(severity: Severity.Critical, rule: "ssh-spraying")));
    }

    [Fact]
    public void ADisabledRouteTakesNothing() =>
        Assert.False(new ResponseRoute { Enabled = false }.Validate("console").Matches(TestIncidents.Make()));

    [Fact]
    public void ABadSeverityIsRefusedNamingTheKey()
    {
        var error = Assert.Throws<ArgumentException>(() => new ResponseRoute { MinSeverity = "urgent" }.Validate("discord"));
        Assert.Contains("Response:Routes:discord:MinSeverity", error.Message);
    }

    [Fact]
    public void ARouteForAnUnknownResponderIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => ResponseHarness.Create(new() { ["Response:Routes:slack:MinSeverity"] = "low" }));
        Assert.Contains("Response:Routes:slack", error.Message);
    }

    [Fact]
    public void AMalformedDiscordUrlIsRefusedWithoutRepeatingIt()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ResponseHarness.Create(new() { ["Discord:WebhookUrl"] = "https://discord.com/api/hooks/secret-token" }));
        Assert.Contains("Discord:WebhookUrl", error.Message);
        Assert.DoesNotContain("secret-token", error.Message);
    }
}
