using System.Text;
using System.Text.Unicode;

namespace Soar.Simulation;

/// <summary>
/// The text, program and syslog priority of each <see cref="LineForm"/>, exactly as OpenSSH 9.2
/// with PAM writes them through rsyslog (priorities as in auth-rfc5424.log: sshd's own lines are
/// auth.info, its "error:" lines auth.err; pam_unix auth lines authpriv.notice, session lines
/// authpriv.info, pam_limits and pam_env authpriv.debug, pam_systemd authpriv.err).
/// </summary>
public static class SshdMessages
{
    /// <summary>Key fingerprints for public-key logins; <see cref="SimulatedLine.Number"/> picks one.</summary>
    public static readonly string[] Fingerprints =
    [
        "Qviyu6jM9TMTFnohG6rDKX6j/Gyr7NIq5pCIv5oRg7U",
        "XFX41Xp7z3JmNVJza6wIv/ZKswGLTNvfTMgGTr8SsYs",
        "bLGgxaPC/Hao1ckUcah+F2omlBeoPjZWuMDddDsoO+g",
        "7k2mJ0q8yYc1nRZb5vQe3HfTtWpLxU9sGdA4oKiC6aE",
    ];

    private const int AuthInfo = 4 * 8 + 6, AuthErr = 4 * 8 + 3;
    private const int AuthprivErr = 10 * 8 + 3, AuthprivNotice = 10 * 8 + 5, AuthprivInfo = 10 * 8 + 6,
        AuthprivDebug = 10 * 8 + 7;

    public static string Program(LineForm form) =>
        form is LineForm.CronSessionOpened or LineForm.CronSessionClosed ? "CRON" : "sshd";

    public static int Priority(LineForm form) => form switch
    {
        LineForm.MaxAttemptsExceeded or LineForm.MaxAttemptsExceededInvalidUser or LineForm.KexClosedByRemote
            or LineForm.KexInvalidProtocolHttp or LineForm.KexReadReset => AuthErr,
        LineForm.PamCheckPassUserUnknown or LineForm.PamAuthFailure or LineForm.PamAuthFailureUnknownUser
            or LineForm.PamMoreFailures or LineForm.PamMoreFailuresUnknownUser
            or LineForm.PamIgnoringMaxRetries => AuthprivNotice,
        LineForm.SessionOpened or LineForm.SessionClosed or LineForm.CronSessionOpened
            or LineForm.CronSessionClosed => AuthprivInfo,
        LineForm.PamLimitsNofile or LineForm.PamLimitsMemlock or LineForm.PamEnvDeprecated => AuthprivDebug,
        LineForm.PamSystemdNoBus => AuthprivErr,
        _ => AuthInfo,
    };

    public static string ToText(in SimulatedLine line)
    {
        Span<byte> buffer = stackalloc byte[1024];
        var written = Write(line, buffer);
        return Encoding.UTF8.GetString(buffer[..written]);
    }

    /// <summary>Writes the message as UTF-8; returns the bytes written, or -1 when it does not fit.</summary>
    public static int Write(in SimulatedLine line, Span<byte> destination)
    {
        var u = line.User;
        var ip = line.Address;
        var port = line.Port;
        var n = line.Number;
        var ok = line.Form switch
        {
            LineForm.InvalidUser => Utf8.TryWrite(destination, $"Invalid user {u} from {ip} port {port}", out var w) ? w : -1,
            LineForm.PamCheckPassUserUnknown => Copy("pam_unix(sshd:auth): check pass; user unknown"u8, destination),
            LineForm.PamAuthFailure => Utf8.TryWrite(destination,
                $"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={u}", out var w) ? w : -1,
            LineForm.PamAuthFailureUnknownUser => Utf8.TryWrite(destination,
                $"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip} ", out var w) ? w : -1,
            LineForm.FailedPassword => Utf8.TryWrite(destination, $"Failed password for {u} from {ip} port {port} ssh2", out var w) ? w : -1,
            LineForm.FailedPasswordInvalidUser => Utf8.TryWrite(destination,
                $"Failed password for invalid user {u} from {ip} port {port} ssh2", out var w) ? w : -1,
            LineForm.ConnectionClosedAuthenticating => Utf8.TryWrite(destination,
                $"Connection closed by authenticating user {u} {ip} port {port} [preauth]", out var w) ? w : -1,
            LineForm.ConnectionClosedInvalidUser => Utf8.TryWrite(destination,
                $"Connection closed by invalid user {u} {ip} port {port} [preauth]", out var w) ? w : -1,
            LineForm.PamMoreFailures => Utf8.TryWrite(destination,
                $"PAM {n} more authentication {(n == 1 ? "failure" : "failures")}; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={u}", out var w) ? w : -1,
            LineForm.PamMoreFailuresUnknownUser => Utf8.TryWrite(destination,
                $"PAM {n} more authentication {(n == 1 ? "failure" : "failures")}; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip} ", out var w) ? w : -1,
            LineForm.MaxAttemptsExceeded => Utf8.TryWrite(destination,
                $"error: maximum authentication attempts exceeded for {u} from {ip} port {port} ssh2 [preauth]", out var w) ? w : -1,
            LineForm.MaxAttemptsExceededInvalidUser => Utf8.TryWrite(destination,
                $"error: maximum authentication attempts exceeded for invalid user {u} from {ip} port {port} ssh2 [preauth]", out var w) ? w : -1,
            LineForm.DisconnectingTooManyFailures => Utf8.TryWrite(destination,
                $"Disconnecting authenticating user {u} {ip} port {port}: Too many authentication failures [preauth]", out var w) ? w : -1,
            LineForm.DisconnectingInvalidUserTooManyFailures => Utf8.TryWrite(destination,
                $"Disconnecting invalid user {u} {ip} port {port}: Too many authentication failures [preauth]", out var w) ? w : -1,
            LineForm.PamIgnoringMaxRetries => Utf8.TryWrite(destination, $"PAM service(sshd) ignoring max retries; {n} > 3", out var w) ? w : -1,
            LineForm.ReceivedDisconnectByeByePreauth => Utf8.TryWrite(destination,
                $"Received disconnect from {ip} port {port}:11: Bye Bye [preauth]", out var w) ? w : -1,
            LineForm.DisconnectedAuthenticatingPreauth => Utf8.TryWrite(destination,
                $"Disconnected from authenticating user {u} {ip} port {port} [preauth]", out var w) ? w : -1,
            LineForm.AcceptedPassword => Utf8.TryWrite(destination, $"Accepted password for {u} from {ip} port {port} ssh2", out var w) ? w : -1,
            LineForm.AcceptedPublicKey => Utf8.TryWrite(destination,
                $"Accepted publickey for {u} from {ip} port {port} ssh2: ED25519 SHA256:{Fingerprints[n % Fingerprints.Length]}", out var w) ? w : -1,
            LineForm.SessionOpened => Utf8.TryWrite(destination,
                $"pam_unix(sshd:session): session opened for user {u}(uid={n}) by (uid=0)", out var w) ? w : -1,
            LineForm.PamSystemdNoBus => Copy("pam_systemd(sshd:session): Failed to connect to system bus: No such file or directory"u8, destination),
            LineForm.PamLimitsNofile => Copy("pam_limits(sshd:session): Could not set limit for 'nofile' to soft=1024, hard=32768: Operation not permitted; uid=0,euid=0"u8, destination),
            LineForm.PamLimitsMemlock => Copy("pam_limits(sshd:session): Could not set limit for 'memlock' to soft=-1, hard=-1: Operation not permitted; uid=0,euid=0"u8, destination),
            LineForm.PamEnvDeprecated => Copy("pam_env(sshd:session): deprecated reading of user environment enabled"u8, destination),
            LineForm.ReceivedDisconnectByUser => Utf8.TryWrite(destination,
                $"Received disconnect from {ip} port {port}:11: disconnected by user", out var w) ? w : -1,
            LineForm.DisconnectedFromUser => Utf8.TryWrite(destination, $"Disconnected from user {u} {ip} port {port}", out var w) ? w : -1,
            LineForm.SessionClosed => Utf8.TryWrite(destination, $"pam_unix(sshd:session): session closed for user {u}", out var w) ? w : -1,
            LineForm.KexClosedByRemote => Copy("error: kex_exchange_identification: Connection closed by remote host"u8, destination),
            LineForm.ConnectionClosedByAddress => Utf8.TryWrite(destination, $"Connection closed by {ip} port {port}", out var w) ? w : -1,
            LineForm.KexInvalidProtocolHttp => Copy("error: kex_exchange_identification: client sent invalid protocol identifier \"GET / HTTP/1.1\""u8, destination),
            LineForm.BannerInvalidFormat => Utf8.TryWrite(destination, $"banner exchange: Connection from {ip} port {port}: invalid format", out var w) ? w : -1,
            LineForm.ConnectionClosedPreauth => Utf8.TryWrite(destination, $"Connection closed by {ip} port {port} [preauth]", out var w) ? w : -1,
            LineForm.ConnectionResetPreauth => Utf8.TryWrite(destination, $"Connection reset by {ip} port {port} [preauth]", out var w) ? w : -1,
            LineForm.KexReadReset => Copy("error: kex_exchange_identification: read: Connection reset by peer"u8, destination),
            LineForm.ConnectionResetByAddress => Utf8.TryWrite(destination, $"Connection reset by {ip} port {port}", out var w) ? w : -1,
            LineForm.UnableToNegotiateKex => Utf8.TryWrite(destination,
                $"Unable to negotiate with {ip} port {port}: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1,ext-info-c,kex-strict-c-v00@openssh.com [preauth]", out var w) ? w : -1,
            LineForm.UnableToNegotiateHostKey => Utf8.TryWrite(destination,
                $"Unable to negotiate with {ip} port {port}: no matching host key type found. Their offer: ssh-dss [preauth]", out var w) ? w : -1,
            LineForm.CronSessionOpened => Utf8.TryWrite(destination,
                $"pam_unix(cron:session): session opened for user {u}(uid={n}) by (uid=0)", out var w) ? w : -1,
            LineForm.CronSessionClosed => Utf8.TryWrite(destination, $"pam_unix(cron:session): session closed for user {u}", out var w) ? w : -1,
            _ => -1,
        };
        return ok;
    }

    private static int Copy(ReadOnlySpan<byte> text, Span<byte> destination) =>
        text.TryCopyTo(destination) ? text.Length : -1;
}
