using System.Globalization;

namespace Soar.Simulation;

/// <summary>
/// Writes sshd lines exactly as OpenSSH 9 with PAM logs them through rsyslog's traditional file
/// format (compare shared/corpus/openssh-9.2-lab/auth.log).
/// </summary>
public sealed class SshdLineFormatter(string host, TimeZoneInfo zone)
{
    public string Line(DateTimeOffset time, int pid, string message)
    {
        var local = TimeZoneInfo.ConvertTime(time, zone);
        var stamp = local.ToString("MMM", CultureInfo.InvariantCulture) + " "
            + local.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + " "
            + local.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{stamp} {host} sshd[{pid}]: {message}");
    }

    public static string InvalidUser(string user, string ip, int port) => $"Invalid user {user} from {ip} port {port}";

    public static string PamUserUnknown() => "pam_unix(sshd:auth): check pass; user unknown";

    public static string PamAuthFailure(string ip, string? user) =>
        $"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip} "
        + (user is null ? "" : $" user={user}");

    public static string FailedPassword(string user, bool invalid, string ip, int port) =>
        $"Failed password for {(invalid ? "invalid user " : "")}{user} from {ip} port {port} ssh2";

    public static string AcceptedPassword(string user, string ip, int port) =>
        $"Accepted password for {user} from {ip} port {port} ssh2";

    public static string AcceptedPublicKey(string user, string ip, int port, string fingerprint) =>
        $"Accepted publickey for {user} from {ip} port {port} ssh2: ED25519 SHA256:{fingerprint}";

    public static string SessionOpened(string user, int uid) =>
        $"pam_unix(sshd:session): session opened for user {user}(uid={uid}) by (uid=0)";

    public static string ConnectionClosed(string user, bool invalid, string ip, int port) =>
        $"Connection closed by {(invalid ? "invalid" : "authenticating")} user {user} {ip} port {port} [preauth]";
}
