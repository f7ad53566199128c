namespace Soar.Ingest;

/// <summary>One syslog message as it arrived from a source, before parsing.</summary>
/// <param name="Text">The message text (one log line, without framing).</param>
/// <param name="ReceivedAt">When the source received it.</param>
public readonly record struct RawMessage(string Text, DateTimeOffset ReceivedAt);
