namespace Soar.Simulation.Output;

/// <summary>Lines to a file or standard output, one per line (or octet-counted).</summary>
public sealed class StreamLineOutput(Stream stream, Framing framing = Framing.Lf, bool ownsStream = true)
    : BatchingLineOutput(framing)
{
    /// <summary>Creates (or replaces) a file; the caller reports an <see cref="IOException"/> as bad usage.</summary>
    public static StreamLineOutput CreateFile(string path, Framing framing = Framing.Lf) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1, useAsync: false), framing);

    protected override async ValueTask WriteBatchAsync(ReadOnlyMemory<byte> batch, int lines, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(batch, cancellationToken);
            Sent += lines;
        }
        catch (IOException e)
        {
            Unsent += lines;
            LastError = e.Message;
            Broken = true; // a full disk or a closed pipe does not get better
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await stream.FlushAsync();
        }
        catch (IOException e)
        {
            LastError = e.Message;
        }
        if (ownsStream) await stream.DisposeAsync();
        await base.DisposeAsync();
    }
}
