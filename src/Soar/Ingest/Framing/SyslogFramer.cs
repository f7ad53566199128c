namespace Soar.Ingest.Framing;

/// <summary>The two framings of syslog over a byte stream (RFC 6587).</summary>
public enum SyslogFraming : byte
{
    /// <summary>Decided by the first bytes of the stream: "123 " is octet counting, anything else a delimiter.</summary>
    Detect,
    /// <summary>"MSG-LEN SP MSG": RFC 6587 §3.4.1 and RFC 5425 (TLS).</summary>
    OctetCounting,
    /// <summary>A message ends at LF (CRLF has its CR trimmed) or NUL: RFC 6587 §3.4.2, "non-transparent".</summary>
    Delimited,
}

public enum FrameStatus : byte
{
    /// <summary>The bytes hold no further complete message: call again with the unconsumed rest and more bytes.</summary>
    NeedMoreData,
    /// <summary>A message: its bytes are at the returned range of the data passed in.</summary>
    Message,
    /// <summary>A message over the size limit: counted, and its bytes are skipped as they arrive.</summary>
    Oversize,
    /// <summary>
    /// An octet-counting header that is not one ("abc", "0 ", eleven digits), or a frame the peer cut off:
    /// the stream cannot be resynchronised, so the rest of it is discarded and the caller should close it.
    /// </summary>
    FramingError,
}

/// <summary>Where every byte the framer consumed went. The four byte counts add up to all bytes consumed.</summary>
public record struct FramerCounts(
    long Messages, long MessageBytes, long OverheadBytes,
    long Oversize, long SkippedBytes,
    long FramingErrors, long DiscardedBytes)
{
    public readonly long TotalBytes => MessageBytes + OverheadBytes + SkippedBytes + DiscardedBytes;
}

/// <summary>
/// Splits a syslog byte stream into messages, one connection's worth of state. Pure: no I/O, no clock.
/// The caller owns the buffer: it passes the bytes not yet consumed (plus any that arrived since) to every
/// <see cref="Read"/> call. The unconsumed rest never exceeds <see cref="MaxPendingBytes"/>, so a buffer of
/// that size always has room. Bad input never throws: it is counted in <see cref="Counts"/>.
/// </summary>
public sealed class SyslogFramer
{
    /// <summary>An octet-counting header: up to ten digits and a space.</summary>
    public const int MaxHeaderBytes = 11;

    private enum State : byte { Detect, OctetCounting, Delimited, SkipCount, SkipToDelimiter, Failed }

    private readonly int _maxMessageBytes;
    private readonly SyslogFraming _initial;
    private State _state;
    private long _skipRemaining;
    // Bytes at the start of the unconsumed rest already known to hold no delimiter (saves rescans).
    private int _scanned;
    private FramerCounts _counts;

    public SyslogFramer(int maxMessageBytes, SyslogFraming framing = SyslogFraming.Detect)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1);
        _maxMessageBytes = maxMessageBytes;
        _initial = framing;
        _state = Initial(framing);
    }

    /// <summary>The largest unconsumed rest the framer can leave behind.</summary>
    public int MaxPendingBytes => _maxMessageBytes + MaxHeaderBytes + 1;

    /// <summary>The framing in use: <see cref="SyslogFraming.Detect"/> until the first bytes have decided it.</summary>
    public SyslogFraming Framing => _state switch
    {
        State.Detect => SyslogFraming.Detect,
        State.OctetCounting or State.SkipCount => SyslogFraming.OctetCounting,
        State.Delimited or State.SkipToDelimiter => SyslogFraming.Delimited,
        _ => _initial,
    };

    public FramerCounts Counts => _counts;

    /// <summary>
    /// Reads the next message from <paramref name="data"/>. <paramref name="consumed"/> bytes at its start are
    /// done with (even on <see cref="FrameStatus.NeedMoreData"/>, when skipping); the rest must be passed again.
    /// </summary>
    public FrameStatus Read(ReadOnlySpan<byte> data, out int consumed, out Range message)
    {
        consumed = 0;
        message = default;
        while (true)
        {
            var rest = data[consumed..];
            switch (_state)
            {
                case State.Detect:
                    var detected = Detect(rest);
                    if (detected == SyslogFraming.Detect) return FrameStatus.NeedMoreData;
                    _state = Initial(detected);
                    break;

                case State.OctetCounting:
                    return ReadCounted(data, ref consumed, out message);

                case State.Delimited:
                    var status = ReadDelimited(data, ref consumed, out message);
                    if (status is { } done) return done;
                    break;

                case State.SkipCount:
                    var skip = (int)Math.Min(_skipRemaining, rest.Length);
                    consumed += skip;
                    _counts.SkippedBytes += skip;
                    _skipRemaining -= skip;
                    if (_skipRemaining > 0) return FrameStatus.NeedMoreData;
                    _state = State.OctetCounting;
                    break;

                case State.SkipToDelimiter:
                    var end = rest.IndexOfAny((byte)'\n', (byte)0);
                    if (end < 0)
                    {
                        consumed += rest.Length;
                        _counts.SkippedBytes += rest.Length;
                        return FrameStatus.NeedMoreData;
                    }
                    consumed += end + 1;
                    _counts.SkippedBytes += end;
                    _counts.OverheadBytes += 1;
                    _state = State.Delimited;
                    break;

                default: // Failed
                    consumed += rest.Length;
                    _counts.DiscardedBytes += rest.Length;
                    return FrameStatus.NeedMoreData;
            }
        }
    }

    /// <summary>
    /// The stream has ended with <paramref name="rest"/> unconsumed. A last delimited line without its delimiter
    /// is a message (many senders omit the final LF); a cut-off octet-counted frame is a framing error.
    /// The framer then starts afresh (a file follower reuses it for the next file); counts carry on.
    /// </summary>
    public FrameStatus Complete(ReadOnlySpan<byte> rest, out Range message)
    {
        message = default;
        var state = _state;
        Reset();
        if (rest.IsEmpty) return FrameStatus.NeedMoreData;
        switch (state)
        {
            case State.Detect or State.Delimited:
                var length = rest.Length;
                if (rest[length - 1] == '\r') length--;
                if (length > _maxMessageBytes)
                {
                    _counts.Oversize++;
                    _counts.SkippedBytes += rest.Length;
                    return FrameStatus.Oversize;
                }
                _counts.OverheadBytes += rest.Length - length;
                if (length == 0) return FrameStatus.NeedMoreData;
                _counts.Messages++;
                _counts.MessageBytes += length;
                message = new Range(0, length);
                return FrameStatus.Message;
            case State.OctetCounting:
                _counts.FramingErrors++;
                _counts.DiscardedBytes += rest.Length;
                return FrameStatus.FramingError;
            default: // nothing is left unconsumed while skipping or failed, but count it if it were
                _counts.DiscardedBytes += rest.Length;
                return FrameStatus.NeedMoreData;
        }
    }

    /// <summary>Starts a new stream with the initial framing; counts carry on.</summary>
    public void Reset()
    {
        _state = Initial(_initial);
        _skipRemaining = 0;
        _scanned = 0;
    }

    private static State Initial(SyslogFraming framing) => framing switch
    {
        SyslogFraming.OctetCounting => State.OctetCounting,
        SyslogFraming.Delimited => State.Delimited,
        _ => State.Detect,
    };

    // Octet counting starts with a non-zero digit, at most ten digits, then a space. A line such as
    // "2026-11-26T10:00:00Z host sshd[1]: …" starts with digits too, but not digits and a space.
    private static SyslogFraming Detect(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return SyslogFraming.Detect;
        if (data[0] is < (byte)'1' or > (byte)'9') return SyslogFraming.Delimited;
        for (var i = 1; i < data.Length; i++)
        {
            if (data[i] == ' ') return SyslogFraming.OctetCounting;
            if (data[i] is < (byte)'0' or > (byte)'9' || i >= MaxHeaderBytes - 1) return SyslogFraming.Delimited;
        }
        return SyslogFraming.Detect;
    }

    private FrameStatus ReadCounted(ReadOnlySpan<byte> data, ref int consumed, out Range message)
    {
        message = default;
        var rest = data[consumed..];
        // Some senders end each counted frame with a newline the count leaves out: no header starts so, skip it.
        var between = 0;
        while (between < rest.Length && rest[between] is (byte)'\n' or (byte)'\r' or 0) between++;
        consumed += between;
        _counts.OverheadBytes += between;
        rest = rest[between..];
        if (rest.IsEmpty) return FrameStatus.NeedMoreData;
        long length = 0;
        var digits = 0;
        while (digits < rest.Length && digits < MaxHeaderBytes && rest[digits] is >= (byte)'0' and <= (byte)'9')
            length = length * 10 + (rest[digits++] - '0');
        if (digits == rest.Length && digits < MaxHeaderBytes && rest[0] != '0') return FrameStatus.NeedMoreData;
        if (digits == 0 || digits >= MaxHeaderBytes || rest[0] == '0' || rest[digits] != ' ')
        {
            // syslog-ng and rsyslog's imtcp give up on such a stream too: nothing after it can be trusted.
            consumed += rest.Length;
            _counts.FramingErrors++;
            _counts.DiscardedBytes += rest.Length;
            _state = State.Failed;
            return FrameStatus.FramingError;
        }
        var header = digits + 1;
        if (length > _maxMessageBytes)
        {
            // The count says where the next frame starts: skip exactly that many bytes and go on.
            consumed += header;
            _counts.OverheadBytes += header;
            _counts.Oversize++;
            _skipRemaining = length;
            _state = State.SkipCount;
            return FrameStatus.Oversize;
        }
        if (rest.Length - header < length) return FrameStatus.NeedMoreData;
        var start = consumed + header;
        message = new Range(start, start + (int)length);
        consumed = start + (int)length;
        _counts.OverheadBytes += header;
        _counts.Messages++;
        _counts.MessageBytes += length;
        return FrameStatus.Message;
    }

    /// <summary>Null when an empty frame was consumed and reading should go on.</summary>
    private FrameStatus? ReadDelimited(ReadOnlySpan<byte> data, ref int consumed, out Range message)
    {
        message = default;
        var rest = data[consumed..];
        // A message may take max bytes plus a CR; a delimiter beyond that ends an oversize one.
        var window = rest[..Math.Min(rest.Length, _maxMessageBytes + 2)];
        _scanned = Math.Min(_scanned, window.Length);
        var found = window[_scanned..].IndexOfAny((byte)'\n', (byte)0);
        if (found < 0)
        {
            if (window.Length < _maxMessageBytes + 2)
            {
                _scanned = window.Length;
                return FrameStatus.NeedMoreData;
            }
            consumed += window.Length;
            _counts.Oversize++;
            _counts.SkippedBytes += window.Length;
            _scanned = 0;
            _state = State.SkipToDelimiter;
            return FrameStatus.Oversize;
        }
        var end = _scanned + found;
        _scanned = 0;
        var length = end > 0 && rest[end - 1] == '\r' ? end - 1 : end;
        if (length > _maxMessageBytes)
        {
            consumed += end + 1;
            _counts.Oversize++;
            _counts.SkippedBytes += end;
            _counts.OverheadBytes += 1;
            return FrameStatus.Oversize;
        }
        _counts.OverheadBytes += end - length + 1;
        if (length == 0)
        {
            consumed += end + 1;
            return null;
        }
        message = new Range(consumed, consumed + length);
        consumed += end + 1;
        _counts.Messages++;
        _counts.MessageBytes += length;
        return FrameStatus.Message;
    }
}
