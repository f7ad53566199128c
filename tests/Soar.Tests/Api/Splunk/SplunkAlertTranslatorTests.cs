using System.Text;
using Microsoft.Extensions.Time.Testing;
using Soar.Api.Splunk;
using Soar.Detection;
using Soar.Events;

namespace Soar.Tests.Api.Splunk;

/// <summary>The pure part of the intake: a webhook body to the rule match a local rule would make.</summary>
public class SplunkAlertTranslatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static RuleMatch Translate(string json, string defaultSeverity = "high")
    {
        Assert.True(SplunkAlert.TryParse(Encoding.UTF8.GetBytes(json), out var alert, out var error), error);
        var translator = new SplunkAlertTranslator(new SplunkWebhookOptions { DefaultSeverity = defaultSeverity },
            new FakeTimeProvider(Now));
        Assert.True(translator.TryTranslate(alert!, out var match, out error), error);
        return match!;
    }

    private static string Refusal(string json)
    {
        if (!SplunkAlert.TryParse(Encoding.UTF8.GetBytes(json), out var alert, out var error)) return error;
        var translator = new SplunkAlertTranslator(new SplunkWebhookOptions(), new FakeTimeProvider(Now));
        Assert.False(translator.TryTranslate(alert!, out _, out error));
        return error;
    }

    [Fact]
    public void WithoutASeverityFieldTheConfiguredDefaultApplies()
    {
        Assert.Equal(Severity.Medium, Translate("{\"result\":{\"src_ip\":\"203.0.113.1\"}}", "medium").Severity);
    }

    [Theory]
    [InlineData("\"failures\":\"27\"", 27)]
    [InlineData("\"count\":\"14\"", 14)]
    [InlineData("\"count\":14", 14)]
    [InlineData("\"failures\":\"27.0\"", 27)]
    [InlineData("\"failures\":\"many\"", 1)]
    [InlineData("\"failures\":\"-3\"", 1)]
    [InlineData("\"failures\":\"1e12\"", int.MaxValue)]
    public void TheCountComesFromTheResultAndIsAtLeastOne(string field, int expected)
    {
        Assert.Equal(expected, Translate($"{{\"result\":{{\"src_ip\":\"203.0.113.1\",{field}}}}}").Count);
    }

    [Theory]
    [InlineData("\"src\":\"203.0.113.1\"", "203.0.113.1")]
    [InlineData("\"src_ip\":\" 203.0.113.1 \"", "203.0.113.1")]
    [InlineData("\"src_ip\":\"::ffff:203.0.113.1\"", "203.0.113.1")]
    [InlineData("\"src_ip\":\"2001:DB8::1\"", "2001:db8::1")]
    public void TheSourceAddressIsNormalised(string field, string expected)
    {
        Assert.Equal(IncidentKey.SourceIp(expected), Translate($"{{\"result\":{{{field}}}}}").Key);
    }

    [Fact]
    public void ARuleFieldNamesTheLocalRuleTheSearchMirrors()
    {
        var match = Translate("{\"result\":{\"src_ip\":\"203.0.113.1\",\"rule\":\"ssh-bruteforce\"},\"search_name\":\"Soar - SSH brute force\"}");

        Assert.Equal("ssh-bruteforce", match.Rule);
        Assert.Equal("Soar - SSH brute force", match.Title);
    }

    [Fact]
    public void StrftimeOffsetsAndEpochSecondsAreBothEventTimes()
    {
        var match = Translate("{\"result\":{\"src_ip\":\"203.0.113.1\",\"first_seen\":\"2026-01-01T01:00:00+0100\",\"last_seen\":\"1767225660\"}}");

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), match.FirstSeen);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero), match.LastSeen);
    }

    [Theory]
    [InlineData("\"first_seen\":\"2099-01-01T00:00:00Z\",\"last_seen\":\"2099-01-02T00:00:00Z\"")]
    [InlineData("\"_time\":\"4102444800\"")]
    public void TimesAheadOfTheClockAreTakenAsNow(string fields)
    {
        var match = Translate($"{{\"result\":{{\"src_ip\":\"203.0.113.1\",{fields}}}}}");

        Assert.Equal(Now, match.FirstSeen);
        Assert.Equal(Now, match.LastSeen);
    }

    [Fact]
    public void AFirstSeenInThePastIsKeptWhenOnlyTheLastSeenIsAhead()
    {
        var match = Translate("{\"result\":{\"src_ip\":\"203.0.113.1\",\"first_seen\":\"2026-01-01T11:00:00Z\",\"last_seen\":\"2099-01-01T00:00:00Z\"}}");

        Assert.Equal(Now.AddHours(-1), match.FirstSeen);
        Assert.Equal(Now, match.LastSeen);
    }

    [Fact]
    public void LongAttackerTextIsBoundedNotRefused()
    {
        var users = string.Join(",", Enumerable.Range(0, 500).Select(i => $"user{i}"));
        var match = Translate($"{{\"result\":{{\"src_ip\":\"203.0.113.1\",\"users\":\"{users}\",\"host\":\"{new string('h', 5000)}\"}},\"search_name\":\"{new string('s', 1000)}\"}}");

        Assert.Equal(64, match.Users.Count);
        Assert.Equal(256, Assert.Single(match.Hosts).Length);
        Assert.Equal(128, match.Rule.Length);
    }

    [Theory]
    [InlineData("{\"result\":{\"src_ip\":\"fe80::1%eth0\"}}", "not an IP address")]
    [InlineData("{\"result\":{\"src_ip\":\"\"}}", "no source address")]
    [InlineData("{\"result\":{\"src_ip\":null}}", "no source address")]
    [InlineData("{\"result\":{\"src_ip\":\"\\u001b[31mred\"}}", "\\u001b")]
    public void UnusableSourcesAreRefusedWithAMessageSafeToShow(string json, string message)
    {
        var error = Refusal(json);

        Assert.Contains(message, error);
        Assert.DoesNotContain('\u001b', error);
    }
}
