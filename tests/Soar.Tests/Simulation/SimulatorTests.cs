using System.Net;
using Soar.Events;
using Soar.Parsing;
using Soar.Simulation;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Simulation;

public class SimulatorTests
{
    private static SimulationRun Run(int seed, params string[] scenarios) => Simulator.Generate(new SimulationOptions
    {
        Seed = seed,
        Start = Lines.Now,
        Scenarios = [.. scenarios.Select(s => ScenarioSpec.TryParse(s, out var spec, out var error) ? spec : throw new ArgumentException(error))],
    });

    private static HashSet<string> RulesOf(SimulationRun run) => GroundTruth.Evaluate(run).Findings.Select(f => f.Rule).ToHashSet();

    [Fact]
    public void TheSameSeedGivesTheSameLinesAndAnotherSeedOthers()
    {
        var a = Run(42, "bruteforce", "benign").Lines.Select(l => l.Message + l.Time + l.Pid).ToList();
        var b = Run(42, "bruteforce", "benign").Lines.Select(l => l.Message + l.Time + l.Pid).ToList();
        var c = Run(43, "bruteforce", "benign").Lines.Select(l => l.Message + l.Time + l.Pid).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData("bruteforce", "ssh-bruteforce")]
    [InlineData("spray", "ssh-password-spray")]
    [InlineData("distributed", "ssh-distributed-bruteforce")]
    [InlineData("slow", "ssh-slow-bruteforce")]
    [InlineData("compromise", "ssh-compromise")]
    [InlineData("scanner", "ssh-scanner")]
    public void EachAttackScenarioCrossesItsRulesThreshold(string scenario, string rule)
    {
        for (var seed = 1; seed <= 5; seed++) Assert.Contains(rule, RulesOf(Run(seed, scenario)));
    }

    [Theory]
    [InlineData("spray")]
    [InlineData("distributed")]
    [InlineData("slow")]
    [InlineData("compromise")]
    public void QuieterScenariosStayUnderTheFastBruteForceThreshold(string scenario)
    {
        for (var seed = 1; seed <= 5; seed++) Assert.DoesNotContain("ssh-bruteforce", RulesOf(Run(seed, scenario)));
    }

    [Fact]
    public void BenignTrafficFiresNoRule()
    {
        for (var seed = 1; seed <= 5; seed++) Assert.Empty(RulesOf(Run(seed, "benign:count=40,duration=30m")));
    }

    [Fact]
    public void ScenarioSizesAreHonoured()
    {
        var truth = GroundTruth.Evaluate(Run(7, "bruteforce:count=3,attempts=17", "scanner:attempts=6", "distributed:count=30"));
        Assert.Equal(3, truth.Scenarios[0].Run.Addresses.Count);
        Assert.Equal(51, truth.Scenarios[0].Failures);
        Assert.Equal(6, truth.Scenarios[1].Probes);
        Assert.Equal(30, truth.Scenarios[2].Run.Addresses.Count);
        Assert.Equal(60, truth.Scenarios[2].Failures);
    }

    [Fact]
    public void EachConnectionHasOnePidOneAddressAndOneSourcePort()
    {
        var run = Run(3, "bruteforce", "spray", "scanner", "compromise");
        foreach (var connection in run.Lines.Where(l => l.Address is not null).GroupBy(l => l.Pid))
        {
            Assert.Single(connection.Select(l => l.Address).Distinct());
            Assert.Single(connection.Select(l => l.Port).Distinct());
        }
        Assert.True(run.Lines.Select(l => l.Port).Where(p => p != 0).All(p => p is >= 32_768 and < 61_000));
    }

    [Fact]
    public void LinesAreInTimeOrderAndAFailureTakesPamsTwoSecondDelay()
    {
        var run = Run(5, "bruteforce");
        for (var i = 1; i < run.Lines.Length; i++) Assert.True(run.Lines[i - 1].Time <= run.Lines[i].Time);
        foreach (var connection in run.Lines.GroupBy(l => l.Pid).Where(c => c.Any(l => GroundTruth.IsFailure(l.Form))))
        {
            var firstPam = connection.First(l => l.Form is LineForm.PamAuthFailure or LineForm.PamAuthFailureUnknownUser);
            var firstFailure = connection.First(l => GroundTruth.IsFailure(l.Form));
            Assert.InRange((firstFailure.Time - firstPam.Time).TotalSeconds, 2.0, 2.7);
        }
    }

    [Fact]
    public void AddressesComeFromTheDocumentationRangesAndIncludeIpv6()
    {
        var run = Run(11, "bruteforce:count=4", "spray", "scanner", "benign");
        var addresses = run.Scenarios.SelectMany(s => s.Addresses).ToList();
        Assert.Equal(addresses.Count, addresses.Distinct().Count());
        Assert.Contains(addresses, a => a.Contains(':'));
        foreach (var address in addresses)
        {
            var ip = IPAddress.Parse(address);
            Assert.True(address.StartsWith("192.0.2.") || address.StartsWith("198.51.100.") || address.StartsWith("203.0.113.")
                        || (ip.GetAddressBytes() is [0x20, 0x01, 0x0d, 0xb8, ..]), address);
        }
    }

    [Fact]
    public void TheRealParserCountsTheSameFailuresAndSuccessesAsTheTruth()
    {
        var run = Run(9, "bruteforce", "spray", "compromise", "benign", "scanner");
        var truth = GroundTruth.Evaluate(run);
        var renderer = new SyslogRenderer(SyslogFormat.Rfc3164, "web-01", TimeZoneInfo.Utc, priority: true);
        var parser = Lines.Parser(Lines.Now.AddHours(2));
        var failures = 0;
        var successes = 0;
        foreach (var line in run.Lines)
        {
            if (parser.Parse(renderer.ToText(line), out var e) != LineResult.Recognised) continue;
            if (e!.Kind.IsFailedAttempt()) failures++;
            if (e.Kind.IsSuccess()) successes++;
        }
        Assert.Equal(truth.Scenarios.Sum(s => s.Failures), failures);
        Assert.Equal(truth.Scenarios.Sum(s => s.Successes), successes);
    }

    [Fact]
    public void TheBenchProfileHasExactlyTheLinesAskedForMostlyAttacksAboutATenthIpv6()
    {
        var run = Simulator.Generate(new SimulationOptions
        {
            Seed = 1, Start = Lines.Now, Ipv4Ranges = SimulationOptions.BenchmarkIpv4,
            Bench = new BenchProfile(Lines: 50_000, Attackers: 250),
        });
        var truth = GroundTruth.Evaluate(run);
        Assert.Equal(50_000, run.Lines.Length);
        var attackLines = truth.Scenarios.Where(s => s.Run.Spec.Kind != ScenarioKind.Benign).Sum(s => s.Lines);
        Assert.InRange(attackLines / 50_000.0, 0.6, 0.8);
        Assert.InRange(truth.Ipv6Lines / 50_000.0, 0.07, 0.13);
        Assert.Equal(250, truth.Scenarios.Where(s => s.Run.Spec.Kind != ScenarioKind.Benign).Sum(s => s.Run.Addresses.Count));
        Assert.Contains(truth.Findings, f => f.Rule == GroundTruth.Bruteforce);
    }

    [Theory]
    [InlineData("bogus", "unknown scenario 'bogus'")]
    [InlineData("bruteforce:count=0", "bad value '0' for count")]
    [InlineData("slow:duration=forever", "bad value 'forever' for duration")]
    [InlineData("spray:colour=red", "unknown key 'colour'")]
    public void ABadScenarioSaysWhatIsWrong(string text, string message)
    {
        Assert.False(ScenarioSpec.TryParse(text, out _, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void TooManyAttackersForTheRangesIsRefusedNotLooped()
    {
        var options = new SimulationOptions
        {
            Seed = 1, Start = Lines.Now, Ipv4Ranges = ["192.0.2.0/28"], Ipv6Ranges = [],
            Scenarios = [ScenarioSpec.Default(ScenarioKind.Distributed) with { Count = 40 }],
        };
        var error = Assert.Throws<InvalidOperationException>(() => Simulator.Generate(options));
        Assert.Contains("not enough distinct IPv4 addresses", error.Message);
    }
}
