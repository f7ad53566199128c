using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Soar.Ingest.Framing;

namespace Soar.Ingest;

/// <summary>
/// Reads one byte stream (a connection, a file, standard input) through a <see cref="SyslogFramer"/> into the
/// pipeline. The buffer is pooled and grows only as far as the longest message allowed needs; each message
/// costs one scan for its end and one string.
/// </summary>
public sealed class FramedStreamReader : IDisposable
{
    private const int MinRead = 4096;
    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

    private readonly SyslogFramer _framer;
    private readonly IngestLog _log;
    private readonly TimeProvider _clock;
    private readonly int _maxMessageBytes;
    private readonly int _capacity;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _abandoned;

    public FramedStreamReader(int maxMessageBytes, SyslogFraming framing, IngestLog log, TimeProvider clock)
    {
        _framer = new SyslogFramer(maxMessageBytes, framing);
        _maxMessageBytes = maxMessageBytes;
        _log = log;
        _clock = clock;
        _capacity = _framer.MaxPendingBytes + MinRead;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(16 * 1024, _capacity));
    }

    /// <summary>Where the stream comes from, for logs: a peer address or a path.</summary>
    public string Origin { get; set; } = "?";

    /// <summary>The stream broke its framing; the caller should close it.</summary>
    public bool Failed { get; private set; }

    public FramerCounts Counts => _framer.Counts;

    /// <summary>One read from <paramref name="stream"/> into the buffer; 0 at the end of the stream.</summary>
    public async ValueTask<int> FillAsync(Stream stream, CancellationToken cancellationToken)
    {
        MakeRoom();
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read;
    }

    /// <summary>Hands every complete message in the buffer to <paramref name="output"/>, waiting while it is full.</summary>
    public async ValueTask DrainAsync(ChannelWriter<RawMessage> output)
    {
        var receivedAt = _clock.GetUtcNow();
        var received = 0;
        while (true)
        {
            var status = Next(out var text);
            if (text is not null)
            {
                var message = new RawMessage(text, receivedAt);
                received++;
                if (!output.TryWrite(message))
                {
                    // The pipeline is full: count what arrived before waiting for room.
                    _log.Metrics.MessagesReceivedAdd(received);
                    received = 0;
                    await output.WriteAsync(message, CancellationToken.None);
                }
            }
            if (status is FrameStatus.NeedMoreData or FrameStatus.FramingError) break;
        }
        if (received > 0) _log.Metrics.MessagesReceivedAdd(received);
    }

    /// <summary>The stream has ended: what is left is a last message, or a frame cut off.</summary>
    public async ValueTask CompleteAsync(ChannelWriter<RawMessage> output)
    {
        var text = Complete();
        if (text is null) return;
        _log.Metrics.MessageReceived();
        await WriteAsync(output, new RawMessage(text, _clock.GetUtcNow()));
    }

    /// <summary>A read may still write into the buffer (standard input cannot be cancelled): never pool it again.</summary>
    public void Abandon() => _abandoned = true;

    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        if (!_abandoned) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private static async ValueTask WriteAsync(ChannelWriter<RawMessage> output, RawMessage message)
    {
        // Never cancelled: a message that arrived is handed on even while stopping (drain).
        if (!output.TryWrite(message)) await output.WriteAsync(message, CancellationToken.None);
    }

    private FrameStatus Next(out string? text)
    {
        text = null;
        var data = _buffer.AsSpan(_start, _end - _start);
        var status = _framer.Read(data, out var consumed, out var range);
        if (status == FrameStatus.Message) text = Decode(data[range]);
        _start += consumed;
        Report(status);
        return status;
    }

    private string? Complete()
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        var status = _framer.Complete(data, out var range);
        var text = status == FrameStatus.Message ? Decode(data[range]) : null;
        _start = _end = 0;
        Report(status);
        return text;
    }

    private void Report(FrameStatus status)
    {
        switch (status)
        {
            case FrameStatus.Oversize:
                _log.Oversize(Origin, _maxMessageBytes);
                break;
            case FrameStatus.FramingError:
                Failed = true;
                _log.FramingError(Origin);
                break;
        }
    }

    private string? Decode(ReadOnlySpan<byte> message)
    {
        // Octet-counted messages often carry the sender's own line end; a message of nothing but that is empty.
        message = message.TrimEnd("\r\n\0"u8);
        if (message.IsEmpty)
        {
            _log.Empty();
            return null;
        }
        return Utf8.GetString(message);
    }

    private void MakeRoom()
    {
        if (_start == _end) _start = _end = 0;
        if (_buffer.Length - _end >= MinRead) return;
        var pending = _end - _start;
        if (_start > 0 && _buffer.Length - pending >= MinRead)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }
        else
        {
            // The framer never leaves more than MaxPendingBytes unconsumed, so the buffer stops growing at _capacity.
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Min(_buffer.Length * 2, _capacity), pending + MinRead));
            _buffer.AsSpan(_start, pending).CopyTo(larger);
            if (!_abandoned) ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        _start = 0;
        _end = pending;
    }
}
