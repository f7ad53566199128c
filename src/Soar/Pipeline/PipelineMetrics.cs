using Soar.Events;

namespace Soar.Pipeline;

/// <summary>
/// Counts of what went through the pipeline. Written by several stages at once, so every
/// update is atomic; readers see each count exactly, if not all of them at the same instant.
/// </summary>
public sealed class PipelineMetrics
{
    private long _messagesReceived;
    private long _messagesDropped;
    private long _connectionsAccepted;
    private long _connectionsRejected;
    private long _connectionsTimedOut;
    private long _framingErrors;
    private long _tlsHandshakesFailed;
    private long _filesRotated;
    private long _linesProcessed;
    private long _eventsRecognised;
    private long _malformedLines;
    private long _incidentsOpened;
    private long _responderFailures;
    private long _storeFailures;
    private long _futureDatedEvents;
    private readonly long[] _eventsByKind = new long[Enum.GetValues<AuthEventKind>().Length];

    public long MessagesReceived => Volatile.Read(ref _messagesReceived);
    /// <summary>Messages refused at ingest: over the size limit, or empty once trailing CR/LF/NUL are trimmed.</summary>
    public long MessagesDropped => Volatile.Read(ref _messagesDropped);
    public long ConnectionsAccepted => Volatile.Read(ref _connectionsAccepted);
    /// <summary>Connections closed at once because the connection limit was reached.</summary>
    public long ConnectionsRejected => Volatile.Read(ref _connectionsRejected);
    /// <summary>Connections closed because the peer sent nothing for the idle timeout.</summary>
    public long ConnectionsTimedOut => Volatile.Read(ref _connectionsTimedOut);
    /// <summary>Octet-counting streams that stopped making sense (a bad count, a frame cut off): each closes its connection.</summary>
    public long FramingErrors => Volatile.Read(ref _framingErrors);
    public long TlsHandshakesFailed => Volatile.Read(ref _tlsHandshakesFailed);
    /// <summary>Followed files found rotated (renamed away and replaced, or truncated).</summary>
    public long FilesRotated => Volatile.Read(ref _filesRotated);
    public long LinesProcessed => Volatile.Read(ref _linesProcessed);
    public long EventsRecognised => Volatile.Read(ref _eventsRecognised);
    public long EventsByKind(AuthEventKind kind) => Volatile.Read(ref _eventsByKind[(int)kind]);
    public long MalformedLines => Volatile.Read(ref _malformedLines);
    /// <summary>Events dated too far ahead of the clock, taken as happening when they arrived.</summary>
    public long FutureDatedEvents => Volatile.Read(ref _futureDatedEvents);
    public long IncidentsOpened => Volatile.Read(ref _incidentsOpened);
    public long ResponderFailures => Volatile.Read(ref _responderFailures);
    /// <summary>Tries to store an incident change that failed (each is tried again until it works).</summary>
    public long StoreFailures => Volatile.Read(ref _storeFailures);

    public void MessageReceived() => Interlocked.Increment(ref _messagesReceived);
    /// <summary>Several at once: a source counts a batch with one atomic add rather than one per message.</summary>
    public void MessagesReceivedAdd(long count) => Interlocked.Add(ref _messagesReceived, count);
    public void MessageDropped() => Interlocked.Increment(ref _messagesDropped);
    public void ConnectionAccepted() => Interlocked.Increment(ref _connectionsAccepted);
    public void ConnectionRejected() => Interlocked.Increment(ref _connectionsRejected);
    public void ConnectionTimedOut() => Interlocked.Increment(ref _connectionsTimedOut);
    public void FramingError() => Interlocked.Increment(ref _framingErrors);
    public void TlsHandshakeFailed() => Interlocked.Increment(ref _tlsHandshakesFailed);
    public void FileRotated() => Interlocked.Increment(ref _filesRotated);
    public void LineProcessed() => Interlocked.Increment(ref _linesProcessed);
    public void EventRecognised() => Interlocked.Increment(ref _eventsRecognised);

    public void EventRecognised(AuthEventKind kind)
    {
        Interlocked.Increment(ref _eventsRecognised);
        Interlocked.Increment(ref _eventsByKind[(int)kind]);
    }
    public void MalformedLine() => Interlocked.Increment(ref _malformedLines);
    public void EventFutureDated() => Interlocked.Increment(ref _futureDatedEvents);
    public void IncidentOpened() => Interlocked.Increment(ref _incidentsOpened);
    public void ResponderFailed() => Interlocked.Increment(ref _responderFailures);
    public void StoreFailed() => Interlocked.Increment(ref _storeFailures);
}
