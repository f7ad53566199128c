namespace Soar.Ingest.Syslog;

/// <summary>
/// Where the parts of one syslog line are, found without allocating: offsets into the line and
/// the timestamp as numbers. <see cref="SyslogLineParser.TryResolveTime"/> turns the timestamp
/// into a <see cref="DateTimeOffset"/> (only needed for lines that become events).
/// </summary>
public readonly record struct SyslogHeader(
    SyslogTimestamp Timestamp,
    int HostStart,
    int HostLength,
    int ProgramStart,
    int ProgramLength,
    /// <summary>The process id in the tag, or -1 when there is none.</summary>
    int Pid,
    int MessageStart,
    int MessageLength)
{
    public ReadOnlySpan<char> Host(string line) => line.AsSpan(HostStart, HostLength);
    public ReadOnlySpan<char> Program(string line) => line.AsSpan(ProgramStart, ProgramLength);
    public ReadOnlySpan<char> Message(string line) => line.AsSpan(MessageStart, MessageLength);
}

public enum SyslogTimeKind : byte
{
    /// <summary>No timestamp (RFC 5424's "-"): the time of reading.</summary>
    None,
    /// <summary>RFC 3164 / journald short: no year, no zone.</summary>
    NoYearNoZone,
    /// <summary>RFC 3339 / RFC 5424 / journald short-iso: complete, with its own offset.</summary>
    Complete,
}

/// <summary>A timestamp as read from the line, before year inference and zone.</summary>
public readonly record struct SyslogTimestamp(
    SyslogTimeKind Kind,
    int Year,
    int Month,
    int Day,
    int Hour,
    int Minute,
    int Second,
    /// <summary>Fraction of the second in ticks (100 ns).</summary>
    int FractionTicks,
    int OffsetMinutes);
