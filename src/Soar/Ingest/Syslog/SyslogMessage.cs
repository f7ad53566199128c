namespace Soar.Ingest.Syslog;

/// <summary>The header fields of one syslog line and the message after them.</summary>
public readonly record struct SyslogMessage(
    DateTimeOffset Timestamp,
    string Host,
    string Program,
    int? Pid,
    string Message);
