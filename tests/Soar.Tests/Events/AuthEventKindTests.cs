using System.Text.RegularExpressions;
using Soar.Events;

namespace Soar.Tests.Events;

public class AuthEventKindTests
{
    [Fact]
    public void EveryKindHasAUniqueSnakeCaseNameThatParsesBack()
    {
        var names = Enum.GetValues<AuthEventKind>().Select(k => k.Name()).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var kind in Enum.GetValues<AuthEventKind>())
        {
            Assert.Matches(new Regex("^[a-z]+(_[a-z]+)*$"), kind.Name());
            Assert.True(AuthEventKindNames.TryParse(kind.Name(), out var back));
            Assert.Equal(kind, back);
        }
    }

    [Theory]
    [InlineData("failed_password", AuthEventKind.FailedPassword)]
    [InlineData("failed_publickey", AuthEventKind.FailedPublicKey)]
    [InlineData("invalid_user", AuthEventKind.InvalidUser)]
    [InlineData("max_auth_exceeded", AuthEventKind.MaxAuthExceeded)]
    [InlineData("kex_ident_closed", AuthEventKind.KexIdentClosed)]
    [InlineData("conn_closed_preauth", AuthEventKind.ConnectionClosedPreauth)]
    [InlineData("conn_reset_preauth", AuthEventKind.ConnectionResetPreauth)]
    [InlineData("pam_error_auth_failure", AuthEventKind.PamErrorAuthFailure)]
    public void NamesFollowTheCorpusGroundTruthCounters(string name, AuthEventKind kind) =>
        Assert.Equal(name, kind.Name());

    [Theory]
    [InlineData("connection_closed_preauth", AuthEventKind.ConnectionClosedPreauth)]
    [InlineData("connection_reset_preauth", AuthEventKind.ConnectionResetPreauth)]
    public void FormerNamesStillParse(string name, AuthEventKind kind)
    {
        Assert.True(AuthEventKindNames.TryParse(name, out var parsed));
        Assert.Equal(kind, parsed);
    }

    [Fact]
    public void OnlyFailedLinesAreOneFailedAttemptEach()
    {
        var attempts = Enum.GetValues<AuthEventKind>().Where(k => k.IsFailedAttempt()).Select(k => k.Name());
        Assert.Equal(["failed_password", "failed_publickey", "failed_keyboard_interactive", "failed_hostbased", "failed_none"],
            attempts);
        Assert.All(Enum.GetValues<AuthEventKind>().Where(k => k.IsSuccess()), k => Assert.StartsWith("accepted_", k.Name()));
    }
}
