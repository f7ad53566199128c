using Soar.Detection;
using Soar.Events;
using Soar.Ingest.File;
using Soar.Parsing;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Detection;

/// <summary>The real OpenSSH corpus: its README says who did what, and replay must find exactly that.</summary>
public class CorpusDetectionTests
{
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["src_ip=127.0.0.1"] = ["ssh-bruteforce", "ssh-slow-bruteforce"],
        ["src_ip=127.0.0.11"] = ["ssh-bruteforce"],
        ["src_ip=127.0.0.12"] = ["ssh-bruteforce", "ssh-password-spray"],
        ["src_ip=127.0.0.13"] = ["ssh-password-spray"],
        ["src_ip=127.0.0.14"] = ["ssh-bruteforce", "ssh-compromise"],
        ["src_ip=127.0.0.19"] = ["ssh-bruteforce"],
        ["src_ip=::1"] = ["ssh-bruteforce"],
        ["src_ip=127.0.0.20"] = ["ssh-scanner"],
        ["user=labuser"] = ["ssh-distributed-bruteforce"],
    };

    private static List<Incident> Replay(string file)
    {
        var parser = Lines.Parser();
        var detector = Detector.CreateDefault();
        var changes = new List<IncidentChange>();
        using var reader = LogFileReader.Open(CorpusFiles.Path(file));
        foreach (var line in LogFileReader.Lines(reader))
        {
            if (parser.Parse(line, out var e) == LineResult.Recognised) detector.Observe(e!, changes);
        }
        return detector.Incidents.ToList();
    }

    [Theory]
    [InlineData("auth.log")]
    [InlineData("auth-rfc5424.log")]
    [InlineData("auth-iso.log")]
    public void ReplayFindsExactlyTheAttackersOfTheGroundTruthWithTheirFindings(string file)
    {
        var incidents = Replay(file);
        var found = incidents.ToDictionary(i => i.Key.ToString(), i => i.Findings.Select(f => f.Rule).Order().ToArray());
        Assert.Equal(Expected.Keys.Order(), found.Keys.Order());
        foreach (var (key, rules) in Expected) Assert.Equal(rules, found[key]);
        // Nothing for the benign sources, the unauthorised keys, keyboard-interactive, or any one distributed source.
        Assert.DoesNotContain(incidents, i => i.Key.Value is "127.0.0.15" or "127.0.0.16" or "127.0.0.17" or "127.0.0.18" or "127.0.0.21");
        Assert.DoesNotContain(incidents, i => i.Key.Value.StartsWith("127.0.1.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("auth.log")]
    [InlineData("auth-rfc5424.log")]
    [InlineData("auth-iso.log")]
    public void TheCompromiseEscalatesTheBruteForceIncidentToCritical(string file)
    {
        var incident = Assert.Single(Replay(file), i => i.Key == IncidentKey.SourceIp("127.0.0.14"));
        Assert.Equal(Severity.Critical, incident.Severity);
        Assert.Equal(Severity.High, incident.Findings.Single(f => f.Rule == "ssh-bruteforce").Severity);
    }

    [Fact]
    public void AttemptsAreCountedOncePerAttemptNotPerLine()
    {
        // The ground truth's per-source failed passwords; sshd wrote two to four lines for each.
        var incidents = Replay("auth.log").ToDictionary(i => i.Key.Value);
        Assert.Equal(15, incidents["127.0.0.11"].Attempts);
        Assert.Equal(12, incidents["127.0.0.12"].Attempts);
        Assert.Equal(12, incidents["::1"].Attempts);
        Assert.Equal(12, incidents["127.0.0.19"].Attempts);
        Assert.Equal(11, incidents["127.0.0.14"].Attempts);
        Assert.Equal(34, incidents["127.0.0.1"].Attempts);
    }
}
