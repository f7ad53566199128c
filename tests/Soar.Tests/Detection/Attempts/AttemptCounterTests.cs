using Soar.Detection.Attempts;
using Soar.Parsing;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Detection.Attempts;

/// <summary>Lines in, attempts out: each attempt once, whatever lines sshd wrote for it.</summary>
public class AttemptCounterTests
{
    private static readonly DateTimeOffset T0 = Lines.Now - TimeSpan.FromHours(1);

    private static List<Signal> Count(params (int Pid, string Message)[] lines)
    {
        var parser = Lines.Parser();
        var counter = new AttemptCounter();
        var signals = new List<Signal>();
        var second = 0;
        foreach (var (pid, message) in lines)
        {
            if (parser.Parse(Lines.Sshd(T0.AddSeconds(second++), message, pid), out var e) == LineResult.Recognised)
                counter.Count(e!, signals);
        }
        return signals;
    }

    [Fact]
    public void AnInvalidUserAttemptOfFiveLinesIsOneFailure()
    {
        var signals = Count(
            (10, "Invalid user admin from 203.0.113.1 port 4000"),
            (10, "pam_unix(sshd:auth): check pass; user unknown"),
            (10, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.1 "),
            (10, "Failed password for invalid user admin from 203.0.113.1 port 4000 ssh2"),
            (10, "Connection closed by invalid user admin 203.0.113.1 port 4000 [preauth]"));
        var failure = Assert.Single(signals);
        Assert.Equal(SignalKind.Failure, failure.Kind);
        Assert.Equal("admin", failure.User);
        Assert.Equal("203.0.113.1", failure.SourceIp);
    }

    [Fact]
    public void SixAttemptsInOneConnectionEndingInMaxAuthTriesAreSix()
    {
        var lines = new List<(int, string)>();
        for (var i = 0; i < 6; i++)
        {
            lines.Add((20, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.2  user=root"));
            lines.Add((20, "Failed password for root from 203.0.113.2 port 4001 ssh2"));
        }
        lines.Add((20, "error: maximum authentication attempts exceeded for root from 203.0.113.2 port 4001 ssh2 [preauth]"));
        lines.Add((20, "Disconnecting authenticating user root 203.0.113.2 port 4001: Too many authentication failures [preauth]"));
        lines.Add((20, "PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.2  user=root"));
        Assert.Equal(6, Count([.. lines]).Count(s => s.Kind == SignalKind.Failure));
    }

    [Fact]
    public void KeyboardInteractiveFailuresWithoutAFailedLineStillCountOnceEach()
    {
        var signals = Count(
            (30, "error: PAM: Authentication failure for labuser from 203.0.113.3"),
            (30, "error: PAM: Authentication failure for labuser from 203.0.113.3"),
            (30, "Accepted keyboard-interactive/pam for labuser from 203.0.113.3 port 4002 ssh2"));
        Assert.Equal([SignalKind.Failure, SignalKind.Failure, SignalKind.Success], signals.Select(s => s.Kind));
        Assert.All(signals, s => Assert.Equal("203.0.113.3", s.SourceIp));
    }

    [Fact]
    public void AUserNameProbeWithoutAPasswordIsOneFailureWhenTheConnectionCloses()
    {
        var signals = Count(
            (40, "Invalid user oracle from 203.0.113.4 port 4003"),
            (40, "Connection closed by invalid user oracle 203.0.113.4 port 4003 [preauth]"));
        Assert.Equal("oracle", Assert.Single(signals).User);
    }

    [Fact]
    public void AConnectionThatTriedToAuthenticateIsNotAlsoAProbe()
    {
        var signals = Count(
            (50, "Failed password for root from 203.0.113.5 port 4004 ssh2"),
            (50, "Connection closed by 203.0.113.5 port 4004 [preauth]"));
        Assert.Equal(SignalKind.Failure, Assert.Single(signals).Kind);
    }

    [Fact]
    public void ConnectionsAreToldApartByPid()
    {
        var signals = Count(
            (60, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.6  user=root"),
            (61, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.6  user=root"),
            (60, "Failed password for root from 203.0.113.6 port 4005 ssh2"),
            (61, "Failed password for root from 203.0.113.6 port 4006 ssh2"));
        Assert.Equal(2, signals.Count);
    }
}
