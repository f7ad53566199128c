namespace Soar.Simulation;

/// <summary>
/// Every message form the simulator writes. Each is a form of the real corpus
/// (tests/corpus/openssh-9.2-lab/message_forms.txt) except the cron noise, which a Debian host
/// logs to auth.log too. <see cref="SshdMessages"/> holds the text of each.
/// </summary>
public enum LineForm : byte
{
    // An attempt and the lines that accompany it.
    InvalidUser,
    PamCheckPassUserUnknown,
    PamAuthFailure,
    PamAuthFailureUnknownUser,
    FailedPassword,
    FailedPasswordInvalidUser,
    ConnectionClosedAuthenticating,
    ConnectionClosedInvalidUser,
    PamMoreFailures,
    PamMoreFailuresUnknownUser,
    MaxAttemptsExceeded,
    MaxAttemptsExceededInvalidUser,
    DisconnectingTooManyFailures,
    DisconnectingInvalidUserTooManyFailures,
    PamIgnoringMaxRetries,
    ReceivedDisconnectByeByePreauth,
    DisconnectedAuthenticatingPreauth,

    // A login and its session.
    AcceptedPassword,
    AcceptedPublicKey,
    SessionOpened,
    PamSystemdNoBus,
    PamLimitsNofile,
    PamLimitsMemlock,
    PamEnvDeprecated,
    ReceivedDisconnectByUser,
    DisconnectedFromUser,
    SessionClosed,

    // Scanners: pre-authentication protocol failures.
    KexClosedByRemote,
    ConnectionClosedByAddress,
    KexInvalidProtocolHttp,
    BannerInvalidFormat,
    ConnectionClosedPreauth,
    ConnectionResetPreauth,
    KexReadReset,
    ConnectionResetByAddress,
    UnableToNegotiateKex,
    UnableToNegotiateHostKey,

    // Noise from other programs.
    CronSessionOpened,
    CronSessionClosed,
}
