using Soar.Events;
using Soar.Ingest.Syslog;
using Soar.Parsing.Sshd;

namespace Soar.Parsing;

public enum LineResult : byte
{
    /// <summary>An sshd authentication event.</summary>
    Recognised,
    /// <summary>A well-formed syslog line that is not an authentication event (cron, sshd session noise, …).</summary>
    NotAuthentication,
    /// <summary>Not a syslog line we can read.</summary>
    Malformed,
}

/// <summary>
/// One log line in, at most one authentication event out: the syslog header, then the sshd
/// message. Keeps counts of what it saw. Not thread-safe: one per pipeline stage.
/// </summary>
public sealed class AuthLogParser(SyslogLineParser syslog, SshdParser sshd)
{
    private readonly long[] _byKind = new long[Enum.GetValues<AuthEventKind>().Length];

    public long Lines { get; private set; }
    public long Malformed { get; private set; }
    public long Recognised { get; private set; }

    public IReadOnlyDictionary<AuthEventKind, long> ByKind =>
        Enum.GetValues<AuthEventKind>().Where(k => _byKind[(int)k] > 0).ToDictionary(k => k, k => _byKind[(int)k]);

    public LineResult Parse(string line, out AuthEvent? authEvent)
    {
        Lines++;
        authEvent = null;
        if (!syslog.TryParse(line, out var message))
        {
            Malformed++;
            return LineResult.Malformed;
        }
        if (!sshd.TryParse(message, line, out authEvent)) return LineResult.NotAuthentication;
        Recognised++;
        _byKind[(int)authEvent!.Kind]++;
        return LineResult.Recognised;
    }
}
