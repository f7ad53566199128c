using Soar.Detection;
using Soar.Events;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Detection;

public class DetectorTests
{
    private static readonly DateTimeOffset T0 = Lines.Now - TimeSpan.FromHours(3);

    private sealed class Feed(DetectionOptions? options = null)
    {
        private readonly Soar.Parsing.AuthLogParser _parser = Lines.Parser();
        public readonly Detector Detector = Detector.CreateDefault(options);
        public readonly List<IncidentChange> Changes = [];
        private int _pid = 1000;

        public void Line(DateTimeOffset time, string message, int? pid = null)
        {
            // Some lines give no event by themselves (the parser pairs a kex reason with its address line).
            if (_parser.Parse(Lines.Sshd(time, message, pid ?? _pid++), out var e) == Soar.Parsing.LineResult.Recognised)
                Detector.Observe(e!, Changes);
        }

        /// <summary>One failed password attempt as sshd logs it: PAM, Failed, Connection closed (three lines).</summary>
        public void FailedAttempt(DateTimeOffset time, string ip, string user = "root")
        {
            var pid = _pid++;
            Line(time, $"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={user}", pid);
            Line(time, $"Failed password for {user} from {ip} port 40000 ssh2", pid);
            Line(time, $"Connection closed by authenticating user {user} {ip} port 40000 [preauth]", pid);
        }

        public void Failures(string ip, int count, TimeSpan spacing, DateTimeOffset? start = null, Func<int, string>? user = null)
        {
            for (var i = 0; i < count; i++) FailedAttempt((start ?? T0) + spacing * i, ip, user?.Invoke(i) ?? "root");
        }

        public Incident Only => Assert.Single(Detector.Incidents);
    }

    [Fact]
    public void TenAttemptsOfThreeLinesEachInAMinuteOpenNothing()
    {
        var feed = new Feed();
        feed.Failures("203.0.113.1", 10, TimeSpan.FromSeconds(1));
        Assert.Empty(feed.Changes);
    }

    [Fact]
    public void ElevenAttemptsInAMinuteOpenOneHighIncident()
    {
        var feed = new Feed();
        feed.Failures("203.0.113.1", 11, TimeSpan.FromSeconds(1), user: i => $"u{i % 3}");
        var opened = Assert.Single(feed.Changes);
        Assert.Equal(IncidentChangeKind.Opened, opened.Kind);
        Assert.Equal(IncidentKey.SourceIp("203.0.113.1"), opened.Incident.Key);
        Assert.Equal(11, opened.Incident.Attempts);
        Assert.Equal(Severity.High, opened.Incident.Severity);
        Assert.Equal(["u0", "u1", "u2"], opened.Incident.Users);
        Assert.Contains("opened by ssh-bruteforce", opened.Detail);
    }

    [Fact]
    public void AttemptsSpreadWiderThanTheWindowOpenNothing()
    {
        var feed = new Feed();
        feed.Failures("203.0.113.1", 11, TimeSpan.FromSeconds(6));
        Assert.Empty(feed.Changes);
    }

    [Fact]
    public void LaterAttemptsUpdateTheSameIncidentAndItsFinding()
    {
        var feed = new Feed();
        feed.Failures("203.0.113.1", 30, TimeSpan.FromSeconds(1));
        Assert.Single(feed.Changes, c => c.Kind == IncidentChangeKind.Opened);
        Assert.Equal(19, feed.Changes.Count(c => c.Kind == IncidentChangeKind.Updated));
        Assert.Equal(30, feed.Only.Attempts);
        Assert.Equal(30, feed.Only.Findings.Single().Count);
        Assert.Equal(T0 + TimeSpan.FromSeconds(29), feed.Only.LastSeen);
    }

    [Fact]
    public void EachChangeKeepsTheIncidentAsItWasThen()
    {
        // Findings are updated in place inside the tracker; what went out with a change must not move.
        var feed = new Feed();
        feed.Failures("203.0.113.1", 13, TimeSpan.FromSeconds(1));
        Assert.Equal([11, 12, 13], feed.Changes.Select(c => c.Incident.Findings.Single().Count));
        Assert.Equal([11, 12, 13], feed.Changes.Select(c => c.Incident.Attempts));
        Assert.Equal(feed.Changes.Select(c => c.Time), feed.Changes.Select(c => c.Incident.Findings.Single().LastSeen));
    }

    [Fact]
    public void ReplayWithoutChangesEndsWithTheSameIncidents()
    {
        var withChanges = new Feed();
        var without = Detector.CreateDefault();
        var parser = Lines.Parser();
        for (var i = 0; i < 40; i++)
        {
            var line = Lines.Sshd(T0 + TimeSpan.FromSeconds(i), $"Failed password for u{i % 6} from 203.0.113.{i % 2} port 40000 ssh2", 5000 + i);
            withChanges.Line(T0 + TimeSpan.FromSeconds(i), $"Failed password for u{i % 6} from 203.0.113.{i % 2} port 40000 ssh2", 5000 + i);
            Assert.Equal(Soar.Parsing.LineResult.Recognised, parser.Parse(line, out var e));
            without.Observe(e!, null);
        }
        Assert.Equal(2, without.Incidents.Count());
        Assert.Equal(withChanges.Detector.Incidents, without.Incidents, (a, b) =>
            a with { Findings = [], Users = [], Hosts = [] } == b with { Findings = [], Users = [], Hosts = [] }
            && a.Findings.SequenceEqual(b.Findings) && a.Users.SequenceEqual(b.Users) && a.Hosts.SequenceEqual(b.Hosts));
    }

    [Fact]
    public void ASuccessAfterFailuresEscalatesTheIncidentToCritical()
    {
        var feed = new Feed();
        feed.Failures("203.0.113.1", 11, TimeSpan.FromSeconds(1));
        feed.Line(T0 + TimeSpan.FromSeconds(20), "Accepted password for root from 203.0.113.1 port 40001 ssh2");
        var last = feed.Changes[^1];
        Assert.Equal(IncidentChangeKind.Escalated, last.Kind);
        Assert.Equal(Severity.Critical, last.Incident.Severity);
        Assert.Equal(["ssh-bruteforce", "ssh-compromise"], last.Incident.Findings.Select(f => f.Rule));
        Assert.Contains("high → critical", last.Detail);
    }

    [Fact]
    public void FourFailuresThenASuccessAreNotACompromise()
    {
        var feed = new Feed();
        feed.Failures("203.0.113.1", 4, TimeSpan.FromSeconds(1));
        feed.Line(T0 + TimeSpan.FromSeconds(20), "Accepted password for root from 203.0.113.1 port 40001 ssh2");
        Assert.Empty(feed.Changes);
    }

    [Fact]
    public void FiveUsersFromOneSourceAreASpray()
    {
        var feed = new Feed();
        feed.Failures("203.0.113.1", 5, TimeSpan.FromSeconds(30), user: i => $"user{i}");
        Assert.Equal("ssh-password-spray", Assert.Single(feed.Only.Findings).Rule);
    }

    [Fact]
    public void TwentySourcesFailingOnOneUserAreADistributedBruteForceOnThatUser()
    {
        var feed = new Feed();
        for (var i = 0; i < 20; i++) feed.FailedAttempt(T0 + TimeSpan.FromSeconds(10 * i), $"198.51.100.{i + 1}", "deploy");
        Assert.Equal(IncidentKey.User("deploy"), feed.Only.Key);
        Assert.Equal("ssh-distributed-bruteforce", Assert.Single(feed.Only.Findings).Rule);
    }

    [Fact]
    public void AWindowThatHasWrappedStillFindsTheAttemptThatCrossesTheThreshold()
    {
        // 40 slow attempts fill the slow rule's window of 31 times and wrap it; faster ones then cross "more than 30 in 1h".
        var feed = new Feed();
        var times = Enumerable.Range(0, 40).Select(i => T0 + TimeSpan.FromSeconds(200) * i).ToList();
        times.AddRange(Enumerable.Range(1, 31).Select(i => times[39] + TimeSpan.FromSeconds(70) * i));
        foreach (var time in times) feed.FailedAttempt(time, "203.0.113.1");

        var crossing = Enumerable.Range(0, times.Count).First(k => times.Take(k + 1).Count(t => t > times[k] - TimeSpan.FromHours(1)) > 30);
        var finding = Assert.Single(feed.Only.Findings);
        Assert.Equal("ssh-slow-bruteforce", finding.Rule);
        Assert.Equal(times[crossing - 30], finding.FirstSeen);
        Assert.Equal(31 + (times.Count - 1 - crossing), finding.Count);
        Assert.Equal(times[crossing], feed.Changes.Single(c => c.Kind == IncidentChangeKind.Opened).Time);
    }

    [Fact]
    public void AnEventOutOfOrderWithinTheToleranceStillCounts()
    {
        var feed = new Feed();
        feed.Failures("203.0.113.1", 10, TimeSpan.FromSeconds(1), start: T0 + TimeSpan.FromSeconds(5));
        feed.FailedAttempt(T0 + TimeSpan.FromSeconds(10), "203.0.113.1"); // 4 s older than the newest
        Assert.Single(feed.Changes, c => c.Kind == IncidentChangeKind.Opened);
        Assert.Equal(0, feed.Detector.LateEvents);
    }

    [Fact]
    public void AnEventLaterThanTheToleranceIsCountedAsLateAndNotUsed()
    {
        var feed = new Feed();
        feed.Failures("203.0.113.1", 10, TimeSpan.FromSeconds(1), start: T0 + TimeSpan.FromSeconds(20));
        feed.FailedAttempt(T0 + TimeSpan.FromSeconds(20), "203.0.113.1"); // 9 s older than the newest
        Assert.Empty(feed.Changes);
        Assert.Equal(3, feed.Detector.LateEvents);
    }

    [Fact]
    public void AllowlistedSourcesNeverOpenIncidents()
    {
        var feed = new Feed(new DetectionOptions { Allowlist = ["203.0.113.0/24"] });
        feed.Failures("203.0.113.1", 20, TimeSpan.FromSeconds(1));
        feed.Failures("198.51.100.1", 20, TimeSpan.FromSeconds(1), start: T0 + TimeSpan.FromMinutes(1));
        Assert.Equal("198.51.100.1", feed.Only.Key.Value);
    }

    [Fact]
    public void ABadAllowlistEntryIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => Detector.CreateDefault(new DetectionOptions { Allowlist = ["10.0.0.0/8", "nope"] }));
        Assert.Contains("Detection:Allowlist:1", e.Message);
    }

    [Fact]
    public void AnIncidentQuietForTheQuietPeriodResolvesAndALaterAttackOpensANewOne()
    {
        var feed = new Feed(new DetectionOptions { QuietPeriod = TimeSpan.FromMinutes(30) });
        feed.Failures("203.0.113.1", 11, TimeSpan.FromSeconds(1));
        feed.Failures("203.0.113.1", 11, TimeSpan.FromSeconds(1), start: T0 + TimeSpan.FromMinutes(45));
        var resolved = Assert.Single(feed.Changes, c => c.Kind == IncidentChangeKind.Resolved);
        Assert.Equal(IncidentStatus.Resolved, resolved.Incident.Status);
        Assert.Equal(T0 + TimeSpan.FromSeconds(10) + TimeSpan.FromMinutes(30), resolved.At);
        Assert.Equal([1L, 2L], feed.Detector.Incidents.Select(i => i.Id));
        Assert.Equal(2, feed.Changes.Count(c => c.Kind == IncidentChangeKind.Opened));
    }

    [Fact]
    public void FiveScannerConnectionsOfTwoLinesEachAreFiveProbes()
    {
        var feed = new Feed();
        for (var i = 0; i < 5; i++)
        {
            var pid = 5000 + i;
            var time = T0 + TimeSpan.FromSeconds(i);
            feed.Line(time, "error: kex_exchange_identification: Connection closed by remote host", pid);
            feed.Line(time, $"Connection closed by 192.0.2.9 port {50000 + i}", pid);
        }
        var incident = feed.Only;
        Assert.Equal("ssh-scanner", Assert.Single(incident.Findings).Rule);
        Assert.Equal(5, incident.Attempts);
        Assert.Equal(Severity.Low, incident.Severity);
    }

    [Fact]
    public void AMatchFromElsewhereJoinsTheOpenIncidentOfItsKey()
    {
        var feed = new Feed();
        feed.Failures("203.0.113.1", 11, TimeSpan.FromSeconds(1));
        var change = feed.Detector.Apply(new RuleMatch("splunk-ssh", "Splunk alert", Severity.Medium,
            IncidentKey.SourceIp("203.0.113.1"), 3, T0, T0 + TimeSpan.FromSeconds(12), ["root"], ["vm"], "from Splunk"))!;
        Assert.Equal(IncidentChangeKind.Updated, change.Kind);
        Assert.Equal(1, change.Incident.Id);
        Assert.Equal(2, change.Incident.Findings.Count);
    }
}

/// <summary>Incidents no local event will touch (from Splunk, or from the store) still resolve when quiet.</summary>
public class DetectorTickTests
{
    private static readonly DateTimeOffset T0 = Lines.Now - TimeSpan.FromHours(3);

    private static RuleMatch SplunkMatch(DateTimeOffset lastSeen) => new("splunk-ssh", "Splunk alert", Severity.High,
        IncidentKey.SourceIp("203.0.113.1"), 30, lastSeen, lastSeen, ["root"], ["vm"], "from Splunk");

    [Fact]
    public void WithoutAnyEventTheClockDecidesWhenAnIncidentFromSplunkIsQuiet()
    {
        var detector = Detector.CreateDefault();
        detector.Apply(SplunkMatch(T0));
        var changes = new List<IncidentChange>();

        detector.Tick(TimeSpan.FromMinutes(30), T0 + TimeSpan.FromMinutes(59), changes);
        Assert.Empty(changes);
        detector.Tick(TimeSpan.FromMinutes(30), T0 + TimeSpan.FromMinutes(60), changes);

        var resolved = Assert.Single(changes);
        Assert.Equal(IncidentChangeKind.Resolved, resolved.Kind);
        Assert.Equal(T0 + TimeSpan.FromHours(1), resolved.Time);
    }

    [Fact]
    public void AnIncidentRestoredFromTheStoreResolvesOnTheClockBeforeAnyEvent()
    {
        var first = Detector.CreateDefault();
        var opened = first.Apply(SplunkMatch(T0))!;
        var tracker = new IncidentTracker();
        tracker.Restore([opened.Incident], nextId: 2);
        var detector = new Detector([], tracker);
        var changes = new List<IncidentChange>();

        detector.Tick(TimeSpan.Zero, T0 + TimeSpan.FromHours(2), changes);

        Assert.Equal(IncidentChangeKind.Resolved, Assert.Single(changes).Kind);
        Assert.Equal(IncidentStatus.Resolved, Assert.Single(detector.Incidents).Status);
    }

    [Fact]
    public void OnceEventsArriveTheirTimeDecidesEvenAfterAnEarlierTickOnTheClock()
    {
        var detector = Detector.CreateDefault();
        var parser = Lines.Parser();
        var changes = new List<IncidentChange>();
        void Failed(DateTimeOffset time, string ip, int i)
        {
            parser.Parse(Lines.FailedPassword(time, ip, port: 40000 + i), out var e);
            detector.Observe(e!, changes);
        }
        // A tick on the clock before any event (nothing to resolve), then lines three hours old (stdin, a backlog).
        detector.Tick(TimeSpan.Zero, Lines.Now, changes);
        for (var i = 0; i < 11; i++) Failed(T0.AddSeconds(i), "203.0.113.1", i);
        Assert.Equal(IncidentChangeKind.Opened, Assert.Single(changes).Kind);

        // Idle ticks go on from the newest event, not from the clock: ten minutes is not quiet enough.
        detector.Tick(TimeSpan.FromMinutes(10), Lines.Now, changes);
        Assert.Single(changes);

        // An event an hour and a half later (event time) resolves it, though the clock was ahead of both.
        Failed(T0 + TimeSpan.FromMinutes(90), "198.51.100.1", 99);
        Assert.Equal(IncidentChangeKind.Resolved, changes[^1].Kind);
    }
}

/// <summary>Matches made elsewhere (Splunk alerts) obey the same limits as local ones.</summary>
public class DetectorApplyTests
{
    private static readonly DateTimeOffset T0 = Lines.Now - TimeSpan.FromHours(3);

    private static RuleMatch Match(string ip, int count) => new("splunk-ssh", "Splunk alert", Severity.High,
        IncidentKey.SourceIp(ip), count, T0, T0, ["root"], ["vm"], "from Splunk");

    [Fact]
    public void AnAllowlistedAddressInAMatchOpensNothingAndIsCountedLikeALocalEvent()
    {
        var detector = Detector.CreateDefault(new DetectionOptions { Allowlist = ["10.0.0.0/8"] });

        Assert.Null(detector.Apply(Match("10.1.2.3", 30)));
        Assert.Equal(1, detector.AllowlistedEvents);
        Assert.Empty(detector.Incidents);
        Assert.NotNull(detector.Apply(Match("203.0.113.1", 30)));
    }

    [Fact]
    public void CountsThatWouldOverflowStopAtTheLargestInteger()
    {
        var detector = Detector.CreateDefault();
        var parser = Lines.Parser();
        var changes = new List<IncidentChange>();

        detector.Apply(Match("203.0.113.1", int.MaxValue));
        var updated = detector.Apply(Match("203.0.113.1", int.MaxValue))!;
        parser.Parse(Lines.FailedPassword(T0.AddSeconds(1), "203.0.113.1"), out var e);
        detector.Observe(e!, changes);

        Assert.Equal(int.MaxValue, Assert.Single(updated.Incident.Findings).Count);
        Assert.Equal(int.MaxValue, Assert.Single(detector.Incidents).Attempts);
    }
}

public class DetectorMemoryTests
{
    [Fact]
    public void WindowStateIsDroppedOnceItCanNoLongerFire()
    {
        var parser = Soar.Tests.TestSupport.Lines.Parser();
        var detector = Detector.CreateDefault();
        var changes = new List<IncidentChange>();
        var t0 = Soar.Tests.TestSupport.Lines.Now - TimeSpan.FromHours(5);
        for (var i = 0; i < 5000; i++)
        {
            parser.Parse(Soar.Tests.TestSupport.Lines.Sshd(t0.AddMilliseconds(100 * i),
                $"Failed password for root from 10.0.{i >> 8}.{i & 0xFF} port 40000 ssh2", pid: 1000 + i), out var e);
            detector.Observe(e!, changes);
        }
        Assert.True(detector.TrackedState >= 5000, $"{detector.TrackedState} tracked");
        // Past the longest window (1 h), one more event: everything older goes.
        parser.Parse(Soar.Tests.TestSupport.Lines.Sshd(t0.AddHours(2), "Failed password for root from 192.0.2.1 port 1 ssh2", pid: 1), out var late);
        detector.Observe(late!, changes);
        Assert.True(detector.TrackedState <= 3, $"{detector.TrackedState} still tracked");
    }
}

public class DetectorOrderTests
{
    [Fact]
    public void OneHostsClockAheadDoesNotMakeAnotherHostsEventsLate()
    {
        var parser = Soar.Tests.TestSupport.Lines.Parser();
        var detector = Detector.CreateDefault();
        var changes = new List<IncidentChange>();
        var t0 = Soar.Tests.TestSupport.Lines.Now - TimeSpan.FromHours(1);
        void Feed(DateTimeOffset time, string host, int i, string ip = "203.0.113.5")
        {
            parser.Parse(Soar.Tests.TestSupport.Lines.Sshd(time, $"Failed password for root from {ip} port {40000 + i} ssh2",
                pid: 100 + i, host: host), out var e);
            detector.Observe(e!, changes);
        }
        Feed(t0 + TimeSpan.FromMinutes(10), "clock-ahead", 0, "198.51.100.1");
        for (var i = 1; i <= 11; i++) Feed(t0 + TimeSpan.FromSeconds(i), "web-01", i);
        Assert.Equal(0, detector.LateEvents);
        Assert.Single(changes, c => c.Kind == IncidentChangeKind.Opened);
    }
}

public class DetectorRepeatTests
{
    [Fact]
    public void AFailedLineRepeatedByRsyslogCountsAsThatManyAttempts()
    {
        var parser = Soar.Tests.TestSupport.Lines.Parser();
        var detector = Detector.CreateDefault();
        var changes = new List<IncidentChange>();
        var t0 = Soar.Tests.TestSupport.Lines.Now - TimeSpan.FromHours(1);
        parser.Parse(Soar.Tests.TestSupport.Lines.Sshd(t0, "Failed password for root from 203.0.113.9 port 40000 ssh2"), out var first);
        parser.Parse(Soar.Tests.TestSupport.Lines.Sshd(t0.AddSeconds(5),
            "message repeated 10 times: [ Failed password for root from 203.0.113.9 port 40000 ssh2]"), out var repeated);
        Assert.Equal(10, repeated!.Count);
        detector.Observe(first!, changes);
        detector.Observe(repeated, changes);
        var opened = Assert.Single(changes, c => c.Kind == IncidentChangeKind.Opened);
        Assert.Equal(11, opened.Incident.Attempts);
    }
}
