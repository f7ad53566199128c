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
    /// <summary>Not a syslog line we can read, nor a bare sshd authentication message.</summary>
    Malformed,
}

/// <summary>
/// One log line in, at most one authentication event out: the syslog header, then the sshd
/// message. A line without a header that is itself an sshd authentication message (a bare
/// message, as <c>journalctl -o cat</c> prints it) is read too: its time is the time of reading
/// and its host is empty. Counts what it saw: <c>Lines = Recognised + NotAuthentication + Malformed</c>.
/// Allocates nothing for a line that is not an event. Not thread-safe: one per pipeline stage.
/// </summary>
public sealed class AuthLogParser(SyslogLineParser syslog, SshdParser sshd)
{
    private readonly long[] _byKind = new long[Enum.GetValues<AuthEventKind>().Length];
    private string _lastHost = "";
    private const int MaxHeld = 4096;
    private readonly Dictionary<(string Host, int Pid), AuthEventKind> _heldIdentification = [];

    public long Lines { get; private set; }
    public long Malformed { get; private set; }
    public long Recognised { get; private set; }
    public long NotAuthentication { get; private set; }

    /// <summary>Recognised lines by kind (a repeated message counts once here; see <see cref="AuthEvent.Count"/>).</summary>
    public IReadOnlyDictionary<AuthEventKind, long> ByKind =>
        Enum.GetValues<AuthEventKind>().Where(k => _byKind[(int)k] > 0).ToDictionary(k => k, k => _byKind[(int)k]);

    public LineResult Parse(string line, out AuthEvent? authEvent)
    {
        Lines++;
        authEvent = null;
        if (!SyslogLineParser.TryParseHeader(line, out var header)) return ParseBare(line, out authEvent);
        if (!SshdParser.IsSshdProgram(header.Program(line)) || !sshd.TryParse(header.Message(line), out var match))
        {
            NotAuthentication++;
            return LineResult.NotAuthentication;
        }
        if (!syslog.TryResolveTime(header.Timestamp, out var time))
        {
            // Only a 29 February that fits neither this year nor last: the header lied.
            Malformed++;
            return LineResult.Malformed;
        }
        var program = header.Program(line) switch { "sshd" => "sshd", "sshd-session" => "sshd-session", _ => "sshd-auth" };
        var host = Host(header.Host(line));
        if (header.Pid >= 0 && !PairWithConnectionEnd(host, header.Pid, ref match))
        {
            NotAuthentication++;
            return LineResult.NotAuthentication;
        }
        authEvent = Create(match, time, host, program, header.Pid < 0 ? null : header.Pid, line);
        return Count(authEvent);
    }

    /// <summary>
    /// sshd logs a failed identification exchange in two lines of one process: kex.c's reason
    /// ("kex_exchange_identification: Connection closed by remote host"), which has no address, then
    /// packet.c's "Connection closed by IP port N". The first is held (false: no event yet) and
    /// names the second, so that the probe is one event with its address. Held reasons are few
    /// and short-lived; the table is bounded.
    /// </summary>
    private bool PairWithConnectionEnd(string host, int pid, ref SshdMatch match)
    {
        if (match.Kind is AuthEventKind.KexIdentClosed or AuthEventKind.KexIdentReset or AuthEventKind.KexIdentFailed
            or AuthEventKind.BadProtocolVersion && match.SourceIp is null)
        {
            if (_heldIdentification.Count >= MaxHeld) _heldIdentification.Clear();
            _heldIdentification[(host, pid)] = match.Kind;
            return false;
        }
        if (_heldIdentification.Count > 0 && _heldIdentification.Remove((host, pid), out var reason) &&
            match.Kind is AuthEventKind.ConnectionClosed or AuthEventKind.ConnectionReset)
            match = match with { Kind = reason };
        return true;
    }

    private LineResult ParseBare(string line, out AuthEvent? authEvent)
    {
        authEvent = null;
        var message = line.AsSpan().Trim(" \r\n\0");
        // journalctl's own notes ("-- Boot 3f2a… --", "-- No entries --") are not log lines, nor malformed ones.
        if (message.StartsWith("-- ") && message.EndsWith(" --"))
        {
            NotAuthentication++;
            return LineResult.NotAuthentication;
        }
        if (!sshd.TryParse(message, out var match))
        {
            Malformed++;
            return LineResult.Malformed;
        }
        authEvent = Create(match, syslog.Now, "", "sshd", null, line);
        return Count(authEvent);
    }

    private LineResult Count(AuthEvent authEvent)
    {
        Recognised++;
        _byKind[(int)authEvent.Kind]++;
        return LineResult.Recognised;
    }

    // Logs come from few hosts: reuse the last host's string rather than allocate one per event.
    private string Host(ReadOnlySpan<char> host)
    {
        if (!host.SequenceEqual(_lastHost)) _lastHost = host.ToString();
        return _lastHost;
    }

    private static AuthEvent Create(in SshdMatch match, DateTimeOffset time, string host, string program, int? pid,
        string line) => new()
    {
        Time = time,
        Host = host,
        Program = program,
        Pid = pid,
        Kind = match.Kind,
        Outcome = match.Outcome,
        User = match.User,
        InvalidUser = match.InvalidUser,
        SourceIp = match.SourceIp,
        SourcePort = match.SourcePort,
        Method = match.Method,
        Count = match.Count,
        Line = line,
    };
}
