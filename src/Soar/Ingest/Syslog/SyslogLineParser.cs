using System.Globalization;

namespace Soar.Ingest.Syslog;

/// <summary>
/// Splits a syslog line into header and message. Accepts an optional &lt;PRI&gt;, then
/// an RFC 3164 timestamp ("Nov 26 14:57:42"), an RFC 3339 timestamp (rsyslog's high-precision
/// file format), or an RFC 5424 header ("1 2026-11-26T14:57:42Z host app procid msgid sd").
/// RFC 3164 has no year and no zone: the zone comes from configuration and the year is the
/// current one, unless that puts the line more than a day in the future, when it is last year's.
/// </summary>
public sealed class SyslogLineParser(TimeProvider clock, TimeZoneInfo zone)
{
    private static readonly string[] Months =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public bool TryParse(string line, out SyslogMessage message)
    {
        message = default;
        var rest = line.AsSpan().TrimEnd("\r\n\0").TrimStart(' ');

        // <PRI>
        if (rest.Length > 0 && rest[0] == '<')
        {
            var close = rest.IndexOf('>');
            if (close is < 2 or > 4) return false;
            rest = rest[(close + 1)..];
        }

        // RFC 5424: VERSION SP TIMESTAMP SP HOST SP APP SP PROCID SP MSGID SP SD [SP MSG]
        if (rest.Length > 2 && rest[0] == '1' && rest[1] == ' ')
            return TryParseRfc5424(rest[2..], out message);

        DateTimeOffset timestamp;
        if (rest.Length >= 15 && IsMonth(rest[..3], out var month))
        {
            if (!TryParseRfc3164Time(rest[..15], month, out timestamp)) return false;
            rest = rest[15..];
        }
        else
        {
            var space = rest.IndexOf(' ');
            if (space < 0 || !DateTimeOffset.TryParse(rest[..space], CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out timestamp))
                return false;
            rest = rest[space..];
        }

        rest = rest.TrimStart(' ');
        var hostEnd = rest.IndexOf(' ');
        if (hostEnd <= 0) return false;
        var host = rest[..hostEnd].ToString();
        rest = rest[(hostEnd + 1)..];

        // TAG: "sshd[123]: " or "sshd: "
        var colon = rest.IndexOf(": ");
        if (colon <= 0) return false;
        var tag = rest[..colon];
        int? pid = null;
        var bracket = tag.IndexOf('[');
        if (bracket > 0 && tag[^1] == ']')
        {
            if (int.TryParse(tag[(bracket + 1)..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                pid = p;
            tag = tag[..bracket];
        }

        message = new SyslogMessage(timestamp, host, tag.ToString(), pid, rest[(colon + 2)..].ToString());
        return true;
    }

    private bool TryParseRfc5424(ReadOnlySpan<char> rest, out SyslogMessage message)
    {
        message = default;
        Span<Range> parts = stackalloc Range[7];
        var count = rest.Split(parts, ' ');
        if (count < 6) return false;
        if (!DateTimeOffset.TryParse(rest[parts[0]], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal,
                out var timestamp))
            return false;
        var host = rest[parts[1]].ToString();
        var app = rest[parts[2]].ToString();
        int? pid = int.TryParse(rest[parts[3]], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
        // Structured data is "-" or one or more [..] elements; the message follows it.
        var sdStart = parts[5].Start.GetOffset(rest.Length);
        var sd = rest[sdStart..];
        int msgStart;
        if (sd.StartsWith("-")) msgStart = 1;
        else
        {
            msgStart = 0;
            while (msgStart < sd.Length && sd[msgStart] == '[')
            {
                var end = FindSdElementEnd(sd, msgStart);
                if (end < 0) return false;
                msgStart = end + 1;
            }
        }
        var msg = msgStart < sd.Length ? sd[msgStart..].TrimStart(' ') : [];
        if (msg.StartsWith("\uFEFF")) msg = msg[1..];
        message = new SyslogMessage(timestamp, host == "-" ? "" : host, app == "-" ? "" : app, pid, msg.ToString());
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

    private static bool IsMonth(ReadOnlySpan<char> text, out int month)
    {
        for (var i = 0; i < Months.Length; i++)
        {
            if (text.SequenceEqual(Months[i])) { month = i + 1; return true; }
        }
        month = 0;
        return false;
    }

    // "Nov 26 14:57:42" or "Nov  6 14:57:42"
    private bool TryParseRfc3164Time(ReadOnlySpan<char> text, int month, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (text[3] != ' ' || text[6] != ' ' || text[9] != ':' || text[12] != ':') return false;
        var dayText = text.Slice(4, 2).TrimStart(' ');
        if (!int.TryParse(dayText, NumberStyles.None, CultureInfo.InvariantCulture, out var day) ||
            !int.TryParse(text.Slice(7, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour) ||
            !int.TryParse(text.Slice(10, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minute) ||
            !int.TryParse(text.Slice(13, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var second))
            return false;
        if (hour > 23 || minute > 59 || second > 60 || day is < 1 or > 31) return false;

        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone);
        var year = now.Year;
        if (!TryLocal(year, month, day, hour, minute, second, out timestamp)) return false;
        // A date more than a day ahead of now belongs to last year (December's lines read in January).
        if (timestamp > now.AddDays(1) && !TryLocal(year - 1, month, day, hour, minute, second, out timestamp))
            return false;
        return true;
    }

    private bool TryLocal(int year, int month, int day, int hour, int minute, int second, out DateTimeOffset result)
    {
        result = default;
        if (day > DateTime.DaysInMonth(year, month)) return false;
        var local = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified);
        result = new DateTimeOffset(local, zone.GetUtcOffset(local));
        return true;
    }
}
