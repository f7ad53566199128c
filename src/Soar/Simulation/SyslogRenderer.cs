using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Soar.Simulation;

/// <summary>How a simulated line is written, as rsyslog's templates write it.</summary>
public enum SyslogFormat
{
    /// <summary>"Nov 26 14:57:42 host sshd[123]: msg" (RSYSLOG_TraditionalFileFormat), &lt;PRI&gt; first on the wire.</summary>
    Rfc3164,

    /// <summary>"&lt;38&gt;1 2026-11-26T14:57:42.566572+00:00 host sshd 123 - -  msg" (RSYSLOG_SyslogProtocol23Format).</summary>
    Rfc5424,
}

/// <summary>
/// Renders <see cref="SimulatedLine"/>s to UTF-8 syslog lines (no line ending: framing is the
/// output's job). Lines arrive in time order, so the timestamp text is cached per second.
/// Not thread-safe: one renderer per writer.
/// </summary>
public sealed class SyslogRenderer
{
    private readonly SyslogFormat _format;
    private readonly bool _priority;
    private readonly string _host;
    private readonly TimeZoneInfo _zone;
    private long _cachedSecond = long.MinValue;
    private readonly char[] _stamp = new char[40];
    private int _stampLength;
    private TimeSpan _offset;
    private readonly byte[] _prefix = new byte[300];
    private int _prefixLength;

    /// <param name="priority">Whether an RFC 3164 line starts with &lt;PRI&gt; (on the wire, not in a file).</param>
    public SyslogRenderer(SyslogFormat format, string host, TimeZoneInfo zone, bool priority)
    {
        _format = format;
        _priority = priority || format == SyslogFormat.Rfc5424;
        _host = host;
        _zone = zone;
    }

    public SyslogFormat Format => _format;

    public string ToText(in SimulatedLine line)
    {
        var buffer = new byte[2048];
        return Encoding.UTF8.GetString(buffer, 0, Render(line, buffer));
    }

    /// <summary>Writes the line; returns its length, or -1 when the destination is too small.</summary>
    public int Render(in SimulatedLine line, Span<byte> destination)
    {
        var start = destination;
        var written = 0;
        if (_priority)
        {
            if (!Utf8.TryWrite(destination, CultureInfo.InvariantCulture, $"<{SshdMessages.Priority(line.Form)}>", out written)) return -1;
            destination = destination[written..];
        }

        var second = line.Time.UtcTicks / TimeSpan.TicksPerSecond;
        if (second != _cachedSecond) CacheStamp(line.Time, second);

        int n;
        if (_format == SyslogFormat.Rfc3164)
        {
            // "Nov 26 14:57:42 host " (cached per second), then "sshd[123]: "
            if (!_prefix.AsSpan(0, _prefixLength).TryCopyTo(destination)) return -1;
            destination = destination[_prefixLength..];
            var program = line.Form is LineForm.CronSessionOpened or LineForm.CronSessionClosed ? "CRON["u8 : "sshd["u8;
            if (!program.TryCopyTo(destination) || !line.Pid.TryFormat(destination[program.Length..], out var digits)
                || destination.Length < program.Length + digits + 3) return -1;
            n = program.Length + digits;
            destination[n++] = (byte)']';
            destination[n++] = (byte)':';
            destination[n++] = (byte)' ';
        }
        else
        {
            // "1 2026-11-26T14:57:42.566572+00:00 host sshd 123 - -  " (rsyslog keeps the message's leading space)
            var micros = line.Time.UtcTicks % TimeSpan.TicksPerSecond / 10;
            var sign = _offset < TimeSpan.Zero ? '-' : '+';
            var offset = _offset.Duration();
            if (!Utf8.TryWrite(destination, CultureInfo.InvariantCulture,
                    $"1 {_stamp.AsSpan(0, _stampLength)}.{micros:D6}{sign}{offset.Hours:D2}:{offset.Minutes:D2} {_host} {SshdMessages.Program(line.Form)} {line.Pid} - -  ",
                    out n)) return -1;
        }
        destination = destination[n..];
        var message = SshdMessages.Write(line, destination);
        if (message < 0) return -1;
        return start.Length - destination.Length + message;
    }

    private void CacheStamp(DateTimeOffset time, long second)
    {
        _cachedSecond = second;
        var local = TimeZoneInfo.ConvertTime(time, _zone);
        _offset = local.Offset;
        var format = _format == SyslogFormat.Rfc3164 ? "MMM d HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss";
        // RFC 3164 pads a one-digit day with a space: "Nov  6".
        if (_format == SyslogFormat.Rfc3164 && local.Day < 10) format = "MMM  d HH:mm:ss";
        local.TryFormat(_stamp, out _stampLength, format, CultureInfo.InvariantCulture);
        Utf8.TryWrite(_prefix, CultureInfo.InvariantCulture, $"{_stamp.AsSpan(0, _stampLength)} {_host} ", out _prefixLength);
    }
}
