using Soar.Events;
using Soar.Parsing;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Parsing.Sshd;

public class SshdParserTests
{
    private static AuthEvent Parse(string message)
    {
        var parser = Lines.Parser();
        Assert.Equal(LineResult.Recognised, parser.Parse(Lines.Sshd(Lines.Now, message), out var e));
        return e!;
    }

    [Fact]
    public void AFailedPasswordForAValidUserIsAFailureWithUserAddressAndPort()
    {
        var e = Parse("Failed password for labuser from 127.0.0.11 port 53661 ssh2");
        Assert.Equal(AuthEventKind.FailedPassword, e.Kind);
        Assert.Equal(AuthOutcome.Failure, e.Outcome);
        Assert.Equal("labuser", e.User);
        Assert.False(e.InvalidUser);
        Assert.Equal("127.0.0.11", e.SourceIp);
        Assert.Equal(53661, e.SourcePort);
        Assert.Equal("password", e.Method);
        Assert.Equal(4242, e.Pid);
        Assert.Equal("vm", e.Host);
    }

    [Fact]
    public void AFailedPasswordForAnInvalidUserIsMarkedInvalid()
    {
        var e = Parse("Failed password for invalid user admin from 127.0.0.12 port 45721 ssh2");
        Assert.True(e.InvalidUser);
        Assert.Equal("admin", e.User);
    }

    [Theory]
    [InlineData("Failed password for root from ::1 port 47981 ssh2", "::1")]
    [InlineData("Failed password for root from 2001:db8::dead:beef port 22 ssh2", "2001:db8::dead:beef")]
    [InlineData("Failed password for root from ::ffff:203.0.113.9 port 22 ssh2", "203.0.113.9")]
    public void IPv6AddressesAreReadAndMappedIPv4IsNormalised(string message, string expected) =>
        Assert.Equal(expected, Parse(message).SourceIp);

    [Fact]
    public void AUserNameContainingFromAndPortCannotMoveTheAddress()
    {
        var e = Parse("Failed password for invalid user x from 10.9.9.9 port 22 from 203.0.113.5 port 4444 ssh2");
        Assert.Equal("203.0.113.5", e.SourceIp);
        Assert.Equal(4444, e.SourcePort);
        Assert.Equal("x from 10.9.9.9 port 22", e.User);
    }

    [Fact]
    public void AnAcceptedPublicKeyIsASuccess()
    {
        var e = Parse("Accepted publickey for deploy from 127.0.0.15 port 36853 ssh2: ED25519 SHA256:Qviyu6jM9TMTFnohG6rDKX6j/Gyr7NIq5pCIv5oRg7U");
        Assert.Equal(AuthEventKind.AcceptedPublicKey, e.Kind);
        Assert.Equal(AuthOutcome.Success, e.Outcome);
        Assert.Equal("deploy", e.User);
        Assert.Equal(36853, e.SourcePort);
    }

    [Fact]
    public void AnAcceptedPasswordIsASuccess() =>
        Assert.Equal(AuthEventKind.AcceptedPassword, Parse("Accepted password for labuser from 127.0.0.16 port 44683 ssh2").Kind);

    [Theory]
    [InlineData("pam_unix(sshd:session): session opened for user deploy(uid=1002) by (uid=0)")]
    [InlineData("Server listening on ::1 port 2222.")]
    [InlineData("Failed password for root from not-an-ip port 22 ssh2")]
    [InlineData("Failed password for root from 10.0.0.1 port 99999 ssh2")]
    [InlineData("Failed")]
    public void OtherMessagesAreNotAuthenticationEvents(string message) =>
        Assert.Equal(LineResult.NotAuthentication, Lines.Parser().Parse(Lines.Sshd(Lines.Now, message), out _));

    [Fact]
    public void LinesFromOtherProgramsAreIgnored() =>
        Assert.Equal(LineResult.NotAuthentication,
            Lines.Parser().Parse("Nov 26 14:57:44 vm CRON[77]: Failed password for root from 1.2.3.4 port 22 ssh2", out _));
}
