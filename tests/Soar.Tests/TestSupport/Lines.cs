using System.Globalization;
using Soar.Ingest.Syslog;
using Soar.Parsing;
using Soar.Parsing.Sshd;

namespace Soar.Tests.TestSupport;

/// <summary>Builds sshd syslog lines and parsers pinned to UTC and a fixed "now".</summary>
public static class Lines
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 15, 0, 0, TimeSpan.Zero);

    public static SyslogLineParser SyslogParser(DateTimeOffset? now = null) =>
        new(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now ?? Now), TimeZoneInfo.Utc);

    public static AuthLogParser Parser(DateTimeOffset? now = null) => new(SyslogParser(now), new SshdParser());

    public static string Sshd(DateTimeOffset time, string message, int pid = 4242, string host = "vm") =>
        time.UtcDateTime.ToString("MMM", CultureInfo.InvariantCulture) + " "
        + time.UtcDateTime.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + " "
        + time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
        + $" {host} sshd[{pid}]: {message}";

    public static string FailedPassword(DateTimeOffset time, string ip, string user = "root", int port = 40000) =>
        Sshd(time, $"Failed password for {user} from {ip} port {port} ssh2");
}
