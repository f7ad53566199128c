using Microsoft.Extensions.Logging;
using Soar.Pipeline;

namespace Soar.Ingest;

/// <summary>
/// Counts ingest trouble in <see cref="PipelineMetrics"/> and logs it. A peer can cause one warning per
/// message, so warnings are limited to <see cref="WarningsPerMinute"/> per source; the rest are counted
/// (always) and their number is logged when the next minute opens.
/// </summary>
public sealed partial class IngestLog(ILogger logger, PipelineMetrics metrics, TimeProvider clock)
{
    public const int WarningsPerMinute = 10;
    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _logged;
    private long _suppressed;

    public PipelineMetrics Metrics => metrics;
    public ILogger Logger => logger;

    public void Oversize(string origin, int limit)
    {
        metrics.MessageDropped();
        if (Allow()) LogOversize(logger, origin, limit);
    }

    public void Empty() => metrics.MessageDropped();

    public void FramingError(string origin)
    {
        metrics.FramingError();
        if (Allow()) LogFramingError(logger, origin);
    }

    public void ConnectionRejected(string origin, int limit)
    {
        metrics.ConnectionRejected();
        if (Allow()) LogConnectionRejected(logger, origin, limit);
    }

    public void IdleTimeout(string origin, TimeSpan timeout)
    {
        metrics.ConnectionTimedOut();
        LogIdleTimeout(logger, origin, timeout);
    }

    public void HandshakeFailed(string origin, string reason)
    {
        metrics.TlsHandshakeFailed();
        if (Allow()) LogHandshakeFailed(logger, origin, reason);
    }

    private bool Allow()
    {
        long suppressed;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (now - _windowStart < TimeSpan.FromMinutes(1))
            {
                if (_logged < WarningsPerMinute) { _logged++; return true; }
                _suppressed++;
                return false;
            }
            suppressed = _suppressed;
            _windowStart = now;
            _logged = 1;
            _suppressed = 0;
        }
        if (suppressed > 0) LogSuppressed(logger, suppressed);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a message over {Limit} bytes from {Origin}")]
    private static partial void LogOversize(ILogger logger, string origin, int limit);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Framing error from {Origin}: not an octet count, or a frame cut off; the rest of the stream is discarded")]
    private static partial void LogFramingError(ILogger logger, string origin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a connection from {Origin}: {Limit} connections already open")]
    private static partial void LogConnectionRejected(ILogger logger, string origin, int limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closed the connection from {Origin}: nothing received for {Timeout}")]
    private static partial void LogIdleTimeout(ILogger logger, string origin, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS handshake with {Origin} failed: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, string origin, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} more ingest warnings in the last minute were counted but not logged")]
    private static partial void LogSuppressed(ILogger logger, long count);
}
