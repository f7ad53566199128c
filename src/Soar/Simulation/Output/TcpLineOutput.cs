using System.Net.Sockets;

namespace Soar.Simulation.Output;

/// <summary>
/// Lines to a syslog receiver over TCP (Soar's 1514, or a Splunk TCP input). When the receiver goes
/// away, the batch in hand is kept and the connection retried with back-off for up to
/// <c>reconnectFor</c>; a batch that still cannot go is counted as unsent, and later batches try
/// one quick reconnect each instead of waiting again.
/// </summary>
public sealed class TcpLineOutput(string host, int port, Framing framing, TimeSpan reconnectFor, TimeProvider clock)
    : BatchingLineOutput(framing)
{
    private Socket? _socket;
    private bool _down;

    public string Target => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";

    /// <summary>The first connection; throws <see cref="SocketException"/> when nothing listens there.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = false };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(host, port, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
    }

    protected override async ValueTask WriteBatchAsync(ReadOnlyMemory<byte> batch, int lines, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + (_down ? TimeSpan.Zero : reconnectFor);
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                // A receiver that closed its end leaves the socket readable with nothing to read:
                // find that out before writing, or the first batch after a restart vanishes.
                if (_socket is { } open && open.Poll(0, SelectMode.SelectRead) && open.Available == 0) Drop();
                if (_socket is null)
                {
                    await ConnectAsync(cancellationToken);
                    Reconnects++;
                    _down = false;
                }
                await _socket!.SendAsync(batch, SocketFlags.None, cancellationToken);
                Sent += lines;
                return;
            }
            catch (SocketException e)
            {
                LastError = $"{Target}: {e.Message}";
                Drop();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LastError = $"{Target}: connection timed out";
                Drop();
            }
            if (clock.GetUtcNow() >= deadline)
            {
                Unsent += lines;
                _down = true;
                return;
            }
            await Task.Delay(delay, clock, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    private void Drop()
    {
        _socket?.Dispose();
        _socket = null;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_socket is { } socket)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // Already gone: nothing left to flush.
            }
            socket.Dispose();
        }
        await base.DisposeAsync();
    }
}
