namespace Soar.Events;

/// <summary>
/// What an sshd log line says happened. The snake_case name (<see cref="AuthEventKindNames"/>)
/// is the stable name used in JSON output, rules and the corpus ground truth.
/// </summary>
public enum AuthEventKind : byte
{
    // Failed authentication attempts: one per attempt.
    FailedPassword,
    FailedPublicKey,
    FailedKeyboardInteractive,
    FailedHostBased,
    FailedNone,

    // Successful logins.
    AcceptedPassword,
    AcceptedPublicKey,
    AcceptedKeyboardInteractive,
    AcceptedHostBased,

    // Lines that accompany failed attempts (the attempt is counted once, by its Failed line).
    InvalidUser,
    UserNotAllowed,
    RootLoginRefused,
    PamAuthFailure,
    PamMoreAuthFailures,
    PamErrorAuthFailure,
    MaxAuthExceeded,
    TooManyAuthFailures,
    ConnectionClosedAuthenticating,
    DisconnectedAuthenticating,

    // Pre-authentication protocol failures: probes and scanners.
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
    private static readonly string[] Names = Enum.GetNames<AuthEventKind>().Select(ToSnakeCase).ToArray();

    /// <summary>The stable snake_case name of a kind, e.g. <c>failed_password</c>.</summary>
    public static string Name(this AuthEventKind kind) => Names[(int)kind];

    public static bool TryParse(string name, out AuthEventKind kind)
    {
        var index = Array.IndexOf(Names, name);
        kind = index < 0 ? default : (AuthEventKind)index;
        return index >= 0;
    }

    public static string Name(this AuthOutcome outcome) => outcome switch
    {
        AuthOutcome.Failure => "failure",
        AuthOutcome.Success => "success",
        _ => "probe",
    };

    /// <summary>True for a line that is itself one authentication attempt that failed.</summary>
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
