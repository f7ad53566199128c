namespace Soar.Events;

/// <summary>
/// What an sshd log line says happened. The snake_case name (<see cref="AuthEventKindNames"/>)
/// is the stable name used in JSON output, rules and the corpus ground truth.
/// </summary>
public enum AuthEventKind : byte
{
    // ONE PER ATTEMPT. sshd's auth_log() writes exactly one of these per authentication request
    // ("Failed <method> for [invalid user ]<user> from <ip> port <port> ssh2"): count these to
    // count attempts. One attempt makes sshd write several lines (pam_unix's authentication failure,
    // "Invalid user" once per connection, "Connection closed by …" at the end); the other kinds
    // below accompany attempts and must not be added to them. Lines of one connection share
    // the pid (one sshd process per connection), so (host, pid, kind, user) tells one attempt
    // from the lines around it.
    FailedPassword,
    FailedPublicKey,
    FailedKeyboardInteractive,
    FailedHostBased,
    FailedNone,

    // ONE PER SUCCESS: "Accepted <method> for <user> from <ip> port <port> ssh2".
    AcceptedPassword,
    AcceptedPublicKey,
    AcceptedKeyboardInteractive,
    AcceptedHostBased,

    // Lines that accompany failed attempts (the attempt is counted once, by its Failed line).
    /// <summary>"Invalid user X from IP port N": once per connection, on its first request.</summary>
    InvalidUser,
    /// <summary>"User X from HOST not allowed because …" (AllowUsers, DenyGroups, shell, locked).</summary>
    UserNotAllowed,
    /// <summary>"ROOT LOGIN REFUSED FROM IP port N".</summary>
    RootLoginRefused,
    /// <summary>pam_unix "authentication failure; … rhost=HOST user=X": one per PAM password check.</summary>
    PamAuthFailure,
    /// <summary>"PAM N more authentication failures; …": a per-connection summary.</summary>
    PamMoreAuthFailures,
    /// <summary>"error: PAM: Authentication failure for [illegal user ]X from HOST" (keyboard-interactive).</summary>
    PamErrorAuthFailure,
    /// <summary>"maximum authentication attempts exceeded for X from IP port N ssh2": once per connection.</summary>
    MaxAuthExceeded,
    /// <summary>"Disconnecting … user X IP port N: Too many authentication failures": once per connection.</summary>
    TooManyAuthFailures,
    /// <summary>"Connection closed by authenticating|invalid user X IP port N [preauth]".</summary>
    ConnectionClosedAuthenticating,
    /// <summary>"Disconnected from authenticating|invalid user X IP port N [preauth]".</summary>
    DisconnectedAuthenticating,

    // Pre-authentication protocol failures: probes and scanners, one per connection.
    ConnectionClosedPreauth,
    ConnectionResetPreauth,
    ReceivedDisconnectPreauth,
    TimeoutBeforeAuth,
    KexIdentClosed,
    KexIdentReset,
    BannerInvalidFormat,
    NoIdentification,
    BadProtocolVersion,
    UnableToNegotiate,
    DispatchRunFatal,

    // Added with the full OpenSSH 7–9 message list (kept at the end: earlier values are stable).
    /// <summary>"Connection reset by authenticating|invalid user X IP port N [preauth]".</summary>
    ConnectionResetAuthenticating,
    /// <summary>"Disconnected from IP port N [preauth]" (no user yet).</summary>
    DisconnectedPreauth,
    /// <summary>"Connection closed by IP port N" without [preauth]: follows a kex_exchange_identification error.</summary>
    ConnectionClosed,
    /// <summary>"Connection reset by IP port N" without [preauth]: follows a kex_exchange_identification error.</summary>
    ConnectionReset,
    /// <summary>Any other "kex_exchange_identification: …" error (invalid characters, too long, write failed).</summary>
    KexIdentFailed,
    /// <summary>Any other "banner exchange: Connection from IP port N: …" error.</summary>
    BannerExchangeFailed,
    /// <summary>pam_unix "check pass; user unknown": a password tried for a user that does not exist (no address).</summary>
    PamUserUnknown,
}

/// <summary>Whether a line reports a failed attempt, a success, or a pre-auth probe.</summary>
public enum AuthOutcome : byte
{
    Failure,
    Success,
    Probe,
}

public static class AuthEventKindNames
{
    private static readonly string[] Names = Enum.GetValues<AuthEventKind>().Select(NameOf).ToArray();

    // Names that differ from the member's snake_case, to match the corpus ground truth's counters.
    private static string NameOf(AuthEventKind kind) => kind switch
    {
        AuthEventKind.ConnectionClosedPreauth => "conn_closed_preauth",
        AuthEventKind.ConnectionResetPreauth => "conn_reset_preauth",
        AuthEventKind.ConnectionClosed => "conn_closed",
        AuthEventKind.ConnectionReset => "conn_reset",
        _ => ToSnakeCase(kind.ToString()),
    };

    // Earlier spellings still accepted by TryParse, so rules written against them keep working.
    private static readonly Dictionary<string, AuthEventKind> FormerNames = new(StringComparer.Ordinal)
    {
        ["connection_closed_preauth"] = AuthEventKind.ConnectionClosedPreauth,
        ["connection_reset_preauth"] = AuthEventKind.ConnectionResetPreauth,
    };

    /// <summary>The stable snake_case name of a kind, e.g. <c>failed_password</c>.</summary>
    public static string Name(this AuthEventKind kind) => Names[(int)kind];

    public static bool TryParse(string name, out AuthEventKind kind)
    {
        var index = Array.IndexOf(Names, name);
        if (index >= 0)
        {
            kind = (AuthEventKind)index;
            return true;
        }
        return FormerNames.TryGetValue(name, out kind);
    }

    public static string Name(this AuthOutcome outcome) => outcome switch
    {
        AuthOutcome.Failure => "failure",
        AuthOutcome.Success => "success",
        _ => "probe",
    };

    /// <summary>True for a line that is itself one authentication attempt that failed ("one per attempt").</summary>
    public static bool IsFailedAttempt(this AuthEventKind kind) => kind <= AuthEventKind.FailedNone;

    public static bool IsSuccess(this AuthEventKind kind) =>
        kind is >= AuthEventKind.AcceptedPassword and <= AuthEventKind.AcceptedHostBased;

    private static string ToSnakeCase(string pascal)
    {
        var chars = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) chars.Append('_');
            chars.Append(char.ToLowerInvariant(pascal[i]));
        }
        // "public_key" reads better as OpenSSH spells it: "publickey"; likewise "hostbased".
        return chars.ToString().Replace("public_key", "publickey").Replace("host_based", "hostbased");
    }
}
