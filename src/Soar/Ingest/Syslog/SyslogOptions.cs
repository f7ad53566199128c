namespace Soar.Ingest.Syslog;

public sealed class SyslogOptions
{
    /// <summary>
    /// The zone of RFC 3164 timestamps, which carry none. Null means the machine's local zone.
    /// An IANA id such as "UTC" or "Europe/Berlin".
    /// </summary>
    public string? TimeZone { get; set; }

    public TimeZoneInfo ResolveTimeZone() =>
        string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
