using Soar.Detection.Rules;

namespace Soar.Tests.Detection.Rules;

/// <summary>The harness over rules/tests/: every annotated case of every shipped rule must behave.</summary>
public class RuleSamplesTests
{
    [Fact]
    public void EveryAnnotatedCaseOfTheShippedRulesBehaves()
    {
        var report = RuleSamples.Run(RuleLoader.LoadDefaults(), RuleLoader.LoadSamples(null));
        Assert.Empty(report.Problems);
        Assert.All(report.Outcomes, o => Assert.True(o.Passed, $"{o.Case}: {o.Message}"));
        Assert.True(report.Outcomes.Count >= 12, $"only {report.Outcomes.Count} cases");
        Assert.True(report.Passed);
    }

    [Fact]
    public void NoSamplesAtAllIsAFailure()
    {
        var report = RuleSamples.Run(RuleLoader.LoadDefaults(), []);
        Assert.False(report.Passed);
        Assert.Contains(report.Problems, p => p.Contains("no sample logs"));
    }

    [Fact]
    public void ASampleWithoutCasesAndARuleWithoutASampleAreFailures()
    {
        var report = RuleSamples.Run(RuleLoader.LoadDefaults(), [("empty.log", "2026-11-20T03:00:00Z vm sshd[1]: hello\n")]);
        Assert.False(report.Passed);
        Assert.Contains(report.Problems, p => p.Contains("empty.log: no cases"));
        Assert.Contains(report.Problems, p => p.Contains("rule ssh-bruteforce has no sample"));
    }

    [Fact]
    public void AWrongExpectationFailsWithWhatWasFound()
    {
        var sample = RuleLoader.LoadSamples(null).Single(s => s.Name.EndsWith("ssh-bruteforce.log", StringComparison.Ordinal));
        var wrong = sample.Text.Replace("# expect-none: ssh-bruteforce src_ip=203.0.113.11", "# expect: ssh-bruteforce src_ip=203.0.113.11");
        var report = RuleSamples.Run(RuleLoader.LoadDefaults(), [(sample.Name, wrong)]);
        var failed = Assert.Single(report.Outcomes, o => !o.Passed);
        Assert.Equal("src_ip=203.0.113.11", failed.Case.Key.ToString());
        Assert.StartsWith("did not fire", failed.Message);
    }
}
