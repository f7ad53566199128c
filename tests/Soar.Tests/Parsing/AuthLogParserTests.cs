using Soar.Events;
using Soar.Parsing;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Parsing;

public class AuthLogParserTests
{
    private const string KexClosed = "error: kex_exchange_identification: Connection closed by remote host";

    [Fact]
    public void AHeldIdentificationReasonNamesOnlyTheNextClosingLineOfItsOwnProcess()
    {
        var parser = Lines.Parser();
        Assert.Equal(LineResult.NotAuthentication, parser.Parse(Lines.Sshd(Lines.Now, KexClosed, pid: 5), out _));
        parser.Parse(Lines.Sshd(Lines.Now, "Connection closed by 192.0.2.6 port 1", pid: 6), out var other);
        parser.Parse(Lines.Sshd(Lines.Now, "Connection closed by 192.0.2.5 port 1", pid: 5), out var own);
        parser.Parse(Lines.Sshd(Lines.Now, "Connection closed by 192.0.2.5 port 2", pid: 5), out var again);
        Assert.Equal(AuthEventKind.ConnectionClosed, other!.Kind);
        Assert.Equal(AuthEventKind.KexIdentClosed, own!.Kind);
        Assert.Equal("192.0.2.5", own.SourceIp);
        Assert.Equal(AuthEventKind.ConnectionClosed, again!.Kind);
    }

    [Fact]
    public void HeldReasonsOfTheSamePidOnDifferentHostsStayApart()
    {
        var parser = Lines.Parser();
        parser.Parse(Lines.Sshd(Lines.Now, KexClosed, pid: 5, host: "a"), out _);
        parser.Parse(Lines.Sshd(Lines.Now, "Connection closed by 192.0.2.5 port 1", pid: 5, host: "b"), out var e);
        Assert.Equal(AuthEventKind.ConnectionClosed, e!.Kind);
    }

    [Fact]
    public void ReasonsThatAreNeverFollowedUpDoNotGrowWithoutBound()
    {
        var parser = Lines.Parser();
        for (var pid = 0; pid < 100_000; pid++) parser.Parse(Lines.Sshd(Lines.Now, KexClosed, pid: pid), out _);
        // The table is cleared when full; the newest reasons may be lost, memory is not.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var pid = 100_000; pid < 200_000; pid++) parser.Parse(Lines.Sshd(Lines.Now, KexClosed, pid: pid), out _);
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) - before < 1 << 20);
        Assert.Equal(200_000, parser.NotAuthentication);
    }

    [Fact]
    public void EveryLineIsCountedOnceAsRecognisedOtherOrMalformed()
    {
        var parser = Lines.Parser();
        parser.Parse(Lines.FailedPassword(Lines.Now, "192.0.2.1"), out _);
        parser.Parse(Lines.Sshd(Lines.Now, "Server listening on :: port 22."), out _);
        parser.Parse("not a log line", out _);
        Assert.Equal((3, 1, 1, 1), (parser.Lines, parser.Recognised, parser.NotAuthentication, parser.Malformed));
        Assert.Equal(1, parser.ByKind[AuthEventKind.FailedPassword]);
    }

    [Fact]
    public void ARepeatedMessageIsOneEventThatCountsItsRepeats()
    {
        var parser = Lines.Parser();
        parser.Parse(Lines.Sshd(Lines.Now, "message repeated 5 times: [ Failed password for root from 192.0.2.1 port 22 ssh2]"),
            out var e);
        Assert.Equal(5, e!.Count);
        Assert.Equal(1, new AuthEvent
        {
            Time = Lines.Now, Host = "", Program = "sshd", Kind = AuthEventKind.FailedPassword, Outcome = AuthOutcome.Failure,
            Line = "",
        }.Count);
    }
}
