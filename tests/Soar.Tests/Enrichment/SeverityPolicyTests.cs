using Soar.Enrichment;
using Soar.Events;

namespace Soar.Tests.Enrichment;

public sealed class SeverityPolicyTests
{
    private static readonly DateTimeOffset T = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly SeverityPolicy _policy = new();

    private static Incident IncidentWith(params (string Rule, Severity Severity)[] findings) => new()
    {
        Id = 1, Key = IncidentKey.SourceIp("45.1.2.3"), Status = IncidentStatus.Open,
        Findings = findings.Select(f => new Finding(f.Rule, f.Rule == "ssh-compromise" ? "SSH compromise" : "SSH brute force",
            f.Severity, 12, T, T, "reason")).ToList(),
        Users = [], Hosts = [], Attempts = 12, FirstSeen = T, LastSeen = T, OpenedAt = T,
    };

    private static IntelReport Intel(int? malicious = null, params string[] blocklists) =>
        new() { Ip = "45.1.2.3", Status = IntelStatus.Found, Malicious = malicious, BlocklistHits = blocklists };

    [Fact]
    public void ARaiseTheStoreKeepsIsOneLevelOnceAndStaysWhenTheIntelIsNotAtHand()
    {
        var raised = IncidentWith(("ssh-bruteforce", Severity.Medium)) with
        {
            IntelSeverity = Severity.High, IntelReason = "high: SSH brute force is medium, raised one level: VirusTotal: 9 engines say malicious",
        };

        Assert.Equal(Severity.High, raised.Severity);
        Assert.Equal(Severity.Medium, raised.DetectedSeverity);
        // The same verdict again raises from detection's medium, not from the stored high.
        Assert.Equal(Severity.High, _policy.Classify(raised, Intel(9)).Severity);
        // Intel pending or failed: the stored raise is what people saw, and stays.
        Assert.Equal((Severity.High, raised.IntelReason), _policy.Classify(raised, new IntelReport { Ip = "45.1.2.3", Status = IntelStatus.Pending }));
    }

    [Fact]
    public void WithoutIntelTheRuleSeverityStands()
    {
        var (severity, reason) = _policy.Classify(IncidentWith(("ssh-bruteforce", Severity.Medium)), null);
        Assert.Equal(Severity.Medium, severity);
        Assert.Equal("medium: SSH brute force is medium", reason);
    }

    [Fact]
    public void FiveMaliciousVerdictsRaiseItOneLevel()
    {
        var (severity, reason) = _policy.Classify(IncidentWith(("ssh-bruteforce", Severity.Medium)), Intel(5));
        Assert.Equal(Severity.High, severity);
        Assert.Contains("raised one level: VirusTotal: 5 engines say malicious", reason);
    }

    [Fact]
    public void FourMaliciousVerdictsAreBelowTheThreshold() =>
        Assert.Equal(Severity.Medium, _policy.Classify(IncidentWith(("ssh-bruteforce", Severity.Medium)), Intel(4)).Severity);

    [Fact]
    public void ABlocklistHitRaisesItOneLevel()
    {
        var (severity, reason) = _policy.Classify(IncidentWith(("ssh-bruteforce", Severity.High)), Intel(0, "firehol_level1"));
        Assert.Equal(Severity.Critical, severity);
        Assert.Contains("on blocklist firehol_level1", reason);
    }

    [Fact]
    public void VirusTotalAndABlocklistTogetherStillRaiseOneLevel()
    {
        var (severity, reason) = _policy.Classify(IncidentWith(("ssh-bruteforce", Severity.Low)), Intel(30, "drop"));
        Assert.Equal(Severity.Medium, severity);
        Assert.Contains("VirusTotal: 30", reason);
        Assert.Contains("drop", reason);
    }

    [Fact]
    public void ACompromiseIsAlwaysCriticalWhateverTheIntel()
    {
        var (severity, reason) = _policy.Classify(
            IncidentWith(("ssh-bruteforce", Severity.Medium), ("ssh-compromise", Severity.High)),
            new IntelReport { Ip = "45.1.2.3", Status = IntelStatus.Found, Malicious = 0, Harmless = 90, Reputation = 50 });
        Assert.Equal(Severity.Critical, severity);
        Assert.Contains("compromise is always critical", reason);
    }

    [Fact]
    public void CleanIntelNeverLowersTheSeverity() =>
        Assert.Equal(Severity.High, _policy.Classify(IncidentWith(("ssh-bruteforce", Severity.High)),
            new IntelReport { Ip = "45.1.2.3", Status = IntelStatus.Found, Malicious = 0, Reputation = 100 }).Severity);

    [Fact]
    public void CriticalStaysCriticalAndTheIntelIsStillNamed()
    {
        var (severity, reason) = _policy.Classify(IncidentWith(("ssh-bruteforce", Severity.Critical)), Intel(9));
        Assert.Equal(Severity.Critical, severity);
        Assert.Contains("VirusTotal: 9", reason);
    }

    [Fact]
    public void PendingOrMissingIntelChangesNothing() =>
        Assert.Equal(Severity.High, _policy.Classify(IncidentWith(("ssh-bruteforce", Severity.High)),
            new IntelReport { Ip = "45.1.2.3", Status = IntelStatus.Pending }).Severity);

    [Fact]
    public void TheThresholdIsConfigurable() =>
        Assert.Equal(Severity.High, new SeverityPolicy(new SeverityPolicyOptions { MaliciousThreshold = 2 })
            .Classify(IncidentWith(("ssh-bruteforce", Severity.Medium)), Intel(2)).Severity);
}
