using Soar.Detection;
using Soar.Events;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Detection;

public class BruteForceRuleTests
{
    private static readonly DateTimeOffset T0 = Lines.Now;

    private static Detector NewDetector(DetectionOptions? options = null) =>
        new(new BruteForceRule(options ?? new DetectionOptions()), new IncidentTracker());

    private static List<IncidentChange> Feed(Detector detector, string ip, int count, TimeSpan spacing,
        DateTimeOffset? start = null)
    {
        var parser = Lines.Parser();
        var changes = new List<IncidentChange>();
        for (var i = 0; i < count; i++)
        {
            parser.Parse(Lines.FailedPassword((start ?? T0) + spacing * i, ip, user: $"u{i % 3}"), out var e);
            detector.Observe(e!, changes);
        }
        return changes;
    }

    [Fact]
    public void ExactlyTenFailuresInAMinuteOpenNothing()
    {
        var detector = NewDetector();
        Assert.Empty(Feed(detector, "203.0.113.1", 10, TimeSpan.FromSeconds(1)));
        Assert.Empty(detector.Incidents);
    }

    [Fact]
    public void ElevenFailuresInAMinuteOpenOneIncident()
    {
        var detector = NewDetector();
        var changes = Feed(detector, "203.0.113.1", 11, TimeSpan.FromSeconds(1));
        var opened = Assert.Single(changes);
        Assert.Equal(IncidentChangeKind.Opened, opened.Kind);
        Assert.Equal(IncidentKey.SourceIp("203.0.113.1"), opened.Incident.Key);
        Assert.Equal(11, opened.Incident.Attempts);
        Assert.Equal(Severity.High, opened.Incident.Severity);
        Assert.Equal(["u0", "u1", "u2"], opened.Incident.Users);
    }

    [Fact]
    public void FailuresSpreadWiderThanTheWindowOpenNothing()
    {
        // 11 failures 6 s apart span 60 s: the first has left the window when the eleventh arrives.
        var detector = NewDetector();
        Assert.Empty(Feed(detector, "203.0.113.1", 11, TimeSpan.FromSeconds(6)));
    }

    [Fact]
    public void ElevenFailuresJustInsideTheWindowOpenAnIncident()
    {
        var detector = NewDetector();
        Assert.Single(Feed(detector, "203.0.113.1", 11, TimeSpan.FromSeconds(5.9)));
    }

    [Fact]
    public void LaterFailuresUpdateTheSameIncident()
    {
        var detector = NewDetector();
        var changes = Feed(detector, "203.0.113.1", 30, TimeSpan.FromSeconds(1));
        Assert.Single(changes, c => c.Kind == IncidentChangeKind.Opened);
        Assert.Equal(19, changes.Count(c => c.Kind == IncidentChangeKind.Updated));
        var incident = Assert.Single(detector.Incidents);
        Assert.Equal(30, incident.Attempts);
        Assert.Equal(T0 + TimeSpan.FromSeconds(29), incident.LastSeen);
    }

    [Fact]
    public void EachSourceIsCountedOnItsOwn()
    {
        var detector = NewDetector();
        Feed(detector, "203.0.113.1", 6, TimeSpan.FromSeconds(1));
        Feed(detector, "203.0.113.2", 6, TimeSpan.FromSeconds(1));
        Assert.Empty(detector.Incidents);
    }

    [Fact]
    public void AnIPv6AttackerOpensAnIncident()
    {
        var detector = NewDetector();
        Assert.Single(Feed(detector, "2001:db8::1", 11, TimeSpan.FromSeconds(1)));
        Assert.Equal("2001:db8::1", Assert.Single(detector.Incidents).Key.Value);
    }

    [Fact]
    public void TheThresholdAndWindowAreConfigurable()
    {
        var detector = NewDetector(new DetectionOptions { Threshold = 3, Window = TimeSpan.FromSeconds(10) });
        Assert.Single(Feed(detector, "203.0.113.1", 4, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void AnAttackerWhoPausesLongerThanTheWindowAndReturnsUpdatesTheSameIncident()
    {
        var detector = NewDetector();
        Feed(detector, "203.0.113.1", 11, TimeSpan.FromSeconds(1));
        var later = Feed(detector, "203.0.113.1", 11, TimeSpan.FromSeconds(1), start: T0.AddMinutes(5));
        Assert.DoesNotContain(later, c => c.Kind == IncidentChangeKind.Opened);
        var incident = Assert.Single(detector.Incidents);
        Assert.Equal(22, incident.Attempts);
        Assert.Equal(22, Assert.Single(incident.Findings).Count);
    }

    [Fact]
    public void AZeroWindowIsRefusedAtStart() =>
        Assert.Throws<ArgumentException>(() => new BruteForceRule(new DetectionOptions { Window = TimeSpan.Zero }));
}
