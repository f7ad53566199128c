namespace Soar.Simulation.Output;

/// <summary>How lines are delimited on a stream: a line feed each, or RFC 6587 octet counting ("123 &lt;38&gt;…").</summary>
public enum Framing
{
    Lf,
    OctetCounted,
}

/// <summary>
/// Where simulated lines go: a file, a TCP or UDP receiver, Splunk's HEC. Lines are taken one at a
/// time (cheap, synchronous) and delivered in batches; what could not be delivered is counted,
/// never thrown, so that a run always ends with an honest report.
/// </summary>
public abstract class LineOutput : IAsyncDisposable
{
    /// <summary>Lines the receiver took.</summary>
    public long Sent { get; protected set; }

    /// <summary>Lines that could not be delivered.</summary>
    public long Unsent { get; protected set; }

    public int Reconnects { get; protected set; }

    /// <summary>Why the last delivery failed, if one did.</summary>
    public string? LastError { get; protected set; }

    /// <summary>True when delivering more is pointless (a rejected token): the sender stops.</summary>
    public bool Broken { get; protected set; }

    /// <summary>Takes one rendered line (no line ending); false when the batch is full: flush, then offer it again.</summary>
    public abstract bool TryAppend(in SimulatedLine line, ReadOnlySpan<byte> rendered);

    public abstract ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Counts lines the sender gave up on (cancelled, or the output broke).</summary>
    public void CountUnsent(long lines) => Unsent += lines;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Frames lines into one large buffer and hands it over whole: the fast path for streams.</summary>
public abstract class BatchingLineOutput(Framing framing, int batchBytes = 256 * 1024) : LineOutput
{
    private readonly byte[] _buffer = new byte[batchBytes];
    private int _length;
    private int _lines;

    public override bool TryAppend(in SimulatedLine line, ReadOnlySpan<byte> rendered)
    {
        var free = _buffer.AsSpan(_length);
        int written;
        if (framing == Framing.OctetCounted)
        {
            if (!rendered.Length.TryFormat(free, out var digits) || free.Length < digits + 1 + rendered.Length)
                return Overflow(rendered);
            free[digits] = (byte)' ';
            rendered.CopyTo(free[(digits + 1)..]);
            written = digits + 1 + rendered.Length;
        }
        else
        {
            if (free.Length < rendered.Length + 1) return Overflow(rendered);
            rendered.CopyTo(free);
            free[rendered.Length] = (byte)'\n';
            written = rendered.Length + 1;
        }
        _length += written;
        _lines++;
        return true;
    }

    // A line larger than a whole batch cannot happen with sshd lines; count it rather than loop.
    private bool Overflow(ReadOnlySpan<byte> rendered)
    {
        if (_length > 0) return false;
        Unsent++;
        LastError = $"a line of {rendered.Length} bytes is larger than a batch";
        return true;
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_length == 0) return;
        var lines = _lines;
        var length = _length;
        _length = 0;
        _lines = 0;
        await WriteBatchAsync(_buffer.AsMemory(0, length), lines, cancellationToken);
    }

    /// <summary>Delivers one batch of framed lines; adds them to <see cref="LineOutput.Sent"/> or <see cref="LineOutput.Unsent"/>.</summary>
    protected abstract ValueTask WriteBatchAsync(ReadOnlyMemory<byte> batch, int lines, CancellationToken cancellationToken);
}
