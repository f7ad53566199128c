using System.Globalization;

namespace Soar.Ingest.Syslog;

/// <summary>
/// Splits a syslog line into header and message without allocating. Accepts, each with an
/// optional &lt;PRI&gt;:
/// <list type="bullet">
/// <item>RFC 5424: <c>&lt;38&gt;1 2026-11-26T14:57:44.52+00:00 vm sshd 20015 - - msg</c>;</item>
/// <item>RFC 3164 and journald <c>short</c>: <c>Nov 26 14:57:44 vm sshd[20015]: msg</c>
/// (also <c>short-precise</c>'s fraction of a second, and a missing host as some senders write it);</item>
/// <item>rsyslog's RFC 3339 file format and journald <c>short-iso</c>:
/// <c>2026-11-26T14:57:44.524395+00:00 vm sshd[20015]: msg</c> (offsets +00:00, +0000 or Z).</item>
/// </list>
/// RFC 3164 has no year and no zone: the zone comes from configuration and the year is the
/// current one, unless that puts the line more than a day in the future, when it is last year's.
/// A bare message with no header at all is the caller's concern (<see cref="Now"/> gives its time).
/// </summary>
public sealed class SyslogLineParser(TimeProvider clock, TimeZoneInfo zone)
{
    /// <summary>The time of reading, for messages that carry none.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Reads the header; on success every offset in <paramref name="header"/> lies within the line.</summary>
    public static bool TryParseHeader(string line, out SyslogHeader header)
    {
        header = default;
        var span = line.AsSpan();
        var end = span.Length;
        while (end > 0 && span[end - 1] is '\r' or '\n' or '\0') end--;
        var pos = 0;
        while (pos < end && span[pos] == ' ') pos++;

        // <PRI>: 0..191, at most three digits.
        if (pos < end && span[pos] == '<')
        {
            var close = span[pos..end].IndexOf('>');
            if (close is < 2 or > 4) return false;
            if (!TryDigits(span.Slice(pos + 1, close - 1), out var pri) || pri > 191) return false;
            pos += close + 1;
        }

        if (end - pos > 2 && span[pos] == '1' && span[pos + 1] == ' ')
            return TryParseRfc5424(span, pos + 2, end, out header);

        SyslogTimestamp timestamp;
        int afterTime;
        if (end - pos >= 15 && IsMonth(span.Slice(pos, 3), out var month))
        {
            if (!TryParseRfc3164Time(span[pos..end], month, out timestamp, out var length)) return false;
            afterTime = pos + length;
        }
        else if (!TryParseRfc3339(span[pos..end], out timestamp, out var length)) return false;
        else afterTime = pos + length;

        if (afterTime >= end || span[afterTime] != ' ') return false;
        pos = afterTime + 1;
        while (pos < end && span[pos] == ' ') pos++;

        // HOST, unless the next token is already the tag ("sshd[1]:"), as senders without a host write it.
        var tokenEnd = span[pos..end].IndexOf(' ');
        if (tokenEnd <= 0) return false;
        int hostStart = pos, hostLength = tokenEnd;
        if (span[pos + tokenEnd - 1] == ':') hostLength = 0;
        else pos += tokenEnd + 1;

        if (!TryParseTag(span, pos, end, out var programLength, out var pid, out var messageStart)) return false;
        header = new SyslogHeader(timestamp, hostStart, hostLength, pos, programLength, pid, messageStart,
            end - messageStart);
        return true;
    }

    /// <summary>Reads a line into a <see cref="SyslogMessage"/> of strings (allocates; for tools and tests).</summary>
    public bool TryParse(string line, out SyslogMessage message)
    {
        message = default;
        if (!TryParseHeader(line, out var header) || !TryResolveTime(header.Timestamp, out var time)) return false;
        message = new SyslogMessage(time, header.Host(line).ToString(), header.Program(line).ToString(),
            header.Pid < 0 ? null : header.Pid, header.Message(line).ToString());
        return true;
    }

    /// <summary>The timestamp as an instant: the zone and year of RFC 3164 lines filled in.</summary>
    public bool TryResolveTime(in SyslogTimestamp t, out DateTimeOffset time)
    {
        time = default;
        switch (t.Kind)
        {
            case SyslogTimeKind.None:
                time = clock.GetUtcNow();
                return true;
            case SyslogTimeKind.Complete:
                // Header parsing bounded year (2..9998) and offset (±14 h), so this cannot throw.
                time = new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second,
                    TimeSpan.FromMinutes(t.OffsetMinutes)).AddTicks(t.FractionTicks);
                return true;
            default:
                var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone);
                if (!TryLocal(now.Year, t, out time)) return TryLocal(now.Year - 1, t, out time);
                // A date more than a day ahead of now belongs to last year (December's lines read in January).
                return time <= now.AddDays(1) || TryLocal(now.Year - 1, t, out time);
        }
    }

    private bool TryLocal(int year, in SyslogTimestamp t, out DateTimeOffset result)
    {
        result = default;
        if (year is < 2 or > 9998 || t.Day > DateTime.DaysInMonth(year, t.Month)) return false;
        var local = new DateTime(year, t.Month, t.Day, t.Hour, t.Minute, t.Second, DateTimeKind.Unspecified)
            .AddTicks(t.FractionTicks);
        result = new DateTimeOffset(local, OffsetAt(local));
        return true;
    }

    // Consecutive lines mostly fall in one hour, and a zone changes its offset at most once in an hour:
    // keep the last whole hour that has one offset. Swapped whole, so safe to share between threads.
    private sealed record HourOffset(DateTime Hour, TimeSpan Offset);
    private HourOffset? _lastHour;

    private TimeSpan OffsetAt(DateTime local)
    {
        var hour = new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0, DateTimeKind.Unspecified);
        var cached = _lastHour;
        if (cached is not null && cached.Hour == hour) return cached.Offset;
        var offset = zone.GetUtcOffset(local);
        // Only cache when the whole hour has one offset (not a transition hour).
        if (zone.GetUtcOffset(hour) == offset && zone.GetUtcOffset(hour.AddMinutes(59)) == offset)
            _lastHour = new HourOffset(hour, offset);
        return offset;
    }

    // VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]
    private static bool TryParseRfc5424(ReadOnlySpan<char> span, int pos, int end, out SyslogHeader header)
    {
        header = default;
        if (!TryToken(span, ref pos, end, out var timeStart, out var timeLength)) return false;
        SyslogTimestamp timestamp = default;
        if (!(timeLength == 1 && span[timeStart] == '-'))
        {
            if (!TryParseRfc3339(span.Slice(timeStart, timeLength), out timestamp, out var used) || used != timeLength)
                return false;
        }
        if (!TryToken(span, ref pos, end, out var hostStart, out var hostLength)) return false;
        if (!TryToken(span, ref pos, end, out var appStart, out var appLength)) return false;
        if (!TryToken(span, ref pos, end, out var procStart, out var procLength)) return false;
        if (!TryToken(span, ref pos, end, out _, out _)) return false; // MSGID
        if (pos >= end) return false;

        // Structured data is "-" or one or more [..] elements; the message follows it.
        if (span[pos] == '-') pos++;
        else
        {
            if (span[pos] != '[') return false;
            while (pos < end && span[pos] == '[')
            {
                var close = FindSdElementEnd(span[..end], pos);
                if (close < 0) return false;
                pos = close + 1;
            }
        }
        if (pos < end && span[pos] != ' ') return false;
        while (pos < end && span[pos] == ' ') pos++;
        if (pos < end && span[pos] == '\uFEFF') pos++;

        if (hostLength == 1 && span[hostStart] == '-') hostLength = 0;
        if (appLength == 1 && span[appStart] == '-') appLength = 0;
        var pid = TryDigits(span.Slice(procStart, procLength), out var p) ? p : -1;
        header = new SyslogHeader(timestamp, hostStart, hostLength, appStart, appLength, pid, pos, end - pos);
        return true;
    }

    private static bool TryToken(ReadOnlySpan<char> span, ref int pos, int end, out int start, out int length)
    {
        start = pos;
        length = pos < end ? span[pos..end].IndexOf(' ') : -1;
        if (length <= 0) return false;
        pos += length + 1;
        return true;
    }

    private static int FindSdElementEnd(ReadOnlySpan<char> sd, int start)
    {
        var inQuotes = false;
        for (var i = start + 1; i < sd.Length; i++)
        {
            var c = sd[i];
            if (c == '\\' && inQuotes) { i++; continue; }
            if (c == '"') inQuotes = !inQuotes;
            else if (c == ']' && !inQuotes) return i;
        }
        return -1;
    }

    // TAG: "sshd[123]: ", "sshd: " (the space may be missing at the end of the line).
    private static bool TryParseTag(ReadOnlySpan<char> span, int pos, int end, out int programLength, out int pid,
        out int messageStart)
    {
        programLength = 0;
        pid = -1;
        messageStart = 0;
        var i = pos;
        while (i < end && span[i] is not (' ' or '[' or ':')) i++;
        programLength = i - pos;
        if (programLength == 0 || i >= end) return false;
        if (span[i] == '[')
        {
            var close = span[i..end].IndexOf(']');
            if (close < 0) return false;
            pid = TryDigits(span.Slice(i + 1, close - 1), out var p) ? p : -1;
            i += close + 1;
        }
        if (i >= end || span[i] != ':') return false;
        i++;
        while (i < end && span[i] == ' ') i++;
        messageStart = i;
        return true;
    }

    private static bool IsMonth(ReadOnlySpan<char> text, out int month)
    {
        month = text switch
        {
            "Jan" => 1, "Feb" => 2, "Mar" => 3, "Apr" => 4, "May" => 5, "Jun" => 6,
            "Jul" => 7, "Aug" => 8, "Sep" => 9, "Oct" => 10, "Nov" => 11, "Dec" => 12,
            _ => 0,
        };
        return month > 0;
    }

    // "Nov 26 14:57:42", "Nov  6 14:57:42", optionally ".123456" (journald short-precise).
    private static bool TryParseRfc3164Time(ReadOnlySpan<char> text, int month, out SyslogTimestamp timestamp,
        out int length)
    {
        timestamp = default;
        length = 15;
        if (text[3] != ' ' || text[6] != ' ' || text[9] != ':' || text[12] != ':') return false;
        var dayText = text[4] == ' ' ? text.Slice(5, 1) : text.Slice(4, 2);
        if (!TryDigits(dayText, out var day) || !TryTwoDigits(text, 7, out var hour) ||
            !TryTwoDigits(text, 10, out var minute) || !TryTwoDigits(text, 13, out var second))
            return false;
        if (hour > 23 || minute > 59 || second > 60 || day < 1 || day > DateTime.DaysInMonth(2024, month)) return false;
        var fraction = 0;
        if (text.Length > 16 && text[15] == '.' && char.IsAsciiDigit(text[16]))
            length = 16 + ReadFraction(text[16..], out fraction);
        timestamp = new SyslogTimestamp(SyslogTimeKind.NoYearNoZone, 0, month, day, hour, minute, Math.Min(second, 59),
            fraction, 0);
        return true;
    }

    // "2026-11-26T14:57:44[.524395](Z|+00:00|+0000)"
    private static bool TryParseRfc3339(ReadOnlySpan<char> text, out SyslogTimestamp timestamp, out int length)
    {
        timestamp = default;
        length = 0;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] is not ('T' or 't') || text[13] != ':' ||
            text[16] != ':')
            return false;
        if (!TryDigits(text[..4], out var year) || !TryTwoDigits(text, 5, out var month) ||
            !TryTwoDigits(text, 8, out var day) || !TryTwoDigits(text, 11, out var hour) ||
            !TryTwoDigits(text, 14, out var minute) || !TryTwoDigits(text, 17, out var second))
            return false;
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
            hour > 23 || minute > 59 || second > 60)
            return false;
        var pos = 19;
        var fraction = 0;
        if (text[pos] == '.')
        {
            if (pos + 1 >= text.Length || !char.IsAsciiDigit(text[pos + 1])) return false;
            pos += 1 + ReadFraction(text[(pos + 1)..], out fraction);
        }
        if (pos >= text.Length) return false;
        int offset;
        if (text[pos] is 'Z' or 'z')
        {
            offset = 0;
            pos++;
        }
        else if (text[pos] is '+' or '-')
        {
            var sign = text[pos] == '-' ? -1 : 1;
            if (!TryTwoDigits(text, pos + 1, out var offsetHours)) return false;
            var minutesAt = pos + 3 < text.Length && text[pos + 3] == ':' ? pos + 4 : pos + 3;
            if (!TryTwoDigits(text, minutesAt, out var offsetMinutes) || offsetHours > 14 || offsetMinutes > 59)
                return false;
            offset = sign * (offsetHours * 60 + offsetMinutes);
            if (Math.Abs(offset) > 14 * 60) return false;
            pos = minutesAt + 2;
        }
        else return false;
        length = pos;
        timestamp = new SyslogTimestamp(SyslogTimeKind.Complete, year, month, day, hour, minute, Math.Min(second, 59),
            fraction, offset);
        return true;
    }

    // Reads up to 7 fraction digits as ticks and skips any more; returns the digits consumed.
    private static int ReadFraction(ReadOnlySpan<char> text, out int ticks)
    {
        ticks = 0;
        var i = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            if (i < 7) ticks = ticks * 10 + (text[i] - '0');
        }
        for (var pad = Math.Min(i, 7); pad < 7; pad++) ticks *= 10;
        return i;
    }

    private static bool TryTwoDigits(ReadOnlySpan<char> text, int at, out int value)
    {
        value = 0;
        if (at + 2 > text.Length || !char.IsAsciiDigit(text[at]) || !char.IsAsciiDigit(text[at + 1])) return false;
        value = (text[at] - '0') * 10 + (text[at + 1] - '0');
        return true;
    }

    /// <summary>Non-empty ASCII digits that fit an int.</summary>
    internal static bool TryDigits(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
