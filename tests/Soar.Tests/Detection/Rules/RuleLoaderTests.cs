using Soar.Detection.Attempts;
using Soar.Detection.Rules;
using Soar.Events;

namespace Soar.Tests.Detection.Rules;

public class RuleLoaderTests
{
    private const string Good = """
        id: my-rule
        title: My rule
        kind: threshold
        severity: high
        on: failure
        group_by: src_ip
        more_than: 10
        window: 60s
        """;

    [Fact]
    public void TheSixDefaultRulesAreEmbeddedAndValid()
    {
        var rules = RuleLoader.LoadDefaults();
        Assert.Equal(["ssh-bruteforce", "ssh-compromise", "ssh-distributed-bruteforce", "ssh-password-spray", "ssh-scanner",
            "ssh-slow-bruteforce"], rules.Select(r => r.Id).Order());
        var bruteForce = rules.Single(r => r.Id == "ssh-bruteforce");
        Assert.Equal(11, bruteForce.MinCount);
        Assert.Equal(TimeSpan.FromSeconds(60), bruteForce.Window);
        Assert.Equal("more than 10 failures by src_ip in 60s", bruteForce.Condition);
    }

    [Fact]
    public void AProgramBuiltWithoutItsRulesRefusesToRunWithNone()
    {
        // The test assembly embeds no rules: as the engine would be, built without rules/ (a container that copied src/ only).
        var e = Assert.Throws<RuleLoadException>(() => RuleLoader.LoadEmbedded(typeof(RuleLoaderTests).Assembly));
        Assert.Contains("no built-in rules", e.Message);
        Assert.Contains("--rules", e.Message);
    }

    [Fact]
    public void AGoodRuleReadsAsWritten()
    {
        var rule = RuleLoader.Parse("my-rule.yaml", Good);
        Assert.Equal(RuleKind.Threshold, rule.Kind);
        Assert.Equal(Severity.High, rule.Severity);
        Assert.Equal(SignalKind.Failure, rule.On);
        Assert.Equal(KeyField.SourceIp, rule.GroupBy);
    }

    [Theory]
    [InlineData("window: 60s", "window: 60x", 8, "window")]
    [InlineData("severity: high", "severity: extreme", 4, "severity")]
    [InlineData("kind: threshold", "kind: bucket", 3, "kind")]
    [InlineData("group_by: src_ip", "group_by: src_ip\nbogus: 1", 7, "bogus")]
    [InlineData("more_than: 10", "more_than: ten", 7, "more_than")]
    [InlineData("more_than: 10", "more_than: 10\nat_least: 3", 8, "at_least")]
    public void ABadRuleIsRefusedWithItsFileLineAndKey(string from, string to, int line, string key)
    {
        var e = Assert.Throws<RuleLoadException>(() => RuleLoader.Parse("rules/my-rule.yaml", Good.Replace(from, to)));
        Assert.Equal("rules/my-rule.yaml", e.File);
        Assert.Equal(key, e.Key);
        Assert.Equal(line, e.Line);
        Assert.StartsWith($"rules/my-rule.yaml:{line}: key '{key}'", e.Message);
    }

    [Fact]
    public void AMissingKeyIsNamed()
    {
        var e = Assert.Throws<RuleLoadException>(() => RuleLoader.Parse("my-rule.yaml", Good.Replace("window: 60s", "")));
        Assert.Equal("window", e.Key);
    }

    [Fact]
    public void BrokenYamlNamesTheLine()
    {
        var e = Assert.Throws<RuleLoadException>(() => RuleLoader.Parse("my-rule.yaml", "id: x\ntitle: [unclosed\n"));
        Assert.True(e.Line >= 2);
    }

    [Fact]
    public void ARulesDirectoryReplacesTheDefaultsAndABadFileStopsTheLoad()
    {
        var dir = Directory.CreateTempSubdirectory("soar-rules-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "my-rule.yaml"), Good);
            Assert.Equal("my-rule", Assert.Single(RuleLoader.Load(dir)).Id);
            File.WriteAllText(Path.Combine(dir, "other.yaml"), Good);
            var e = Assert.Throws<RuleLoadException>(() => RuleLoader.Load(dir));
            Assert.Contains("other.yaml", e.Message);
            Assert.Equal("id", e.Key);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
