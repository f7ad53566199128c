using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Soar.Ingest.Framing;

namespace Soar.Ingest.Tcp;

/// <summary>
/// A syslog listener over a stream socket: plain TCP, or TLS in a subclass. Each connection is read on its
/// own task through its own framer (octet counting or delimiters, detected per connection), within a size
/// limit, an idle timeout and a connection limit.
/// </summary>
public abstract partial class SyslogStreamListener : IMessageSource
{
    private readonly TcpSyslogOptions _options;
    private readonly string _section;
    private readonly TimeProvider _clock;
    private readonly TaskCompletionSource<IPEndPoint> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _active;

    protected SyslogStreamListener(TcpSyslogOptions options, string section, IngestLog log, TimeProvider clock)
    {
        _options = options;
        _section = section;
        _clock = clock;
        Log = log;
    }

    public abstract string Name { get; }

    /// <summary>Completes with the bound address once the listener accepts connections.</summary>
    public Task<IPEndPoint> Listening => _listening.Task;

    /// <summary>Connections open now.</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    protected IngestLog Log { get; }

    /// <summary>The framing a connection starts in.</summary>
    protected virtual SyslogFraming Framing => SyslogFraming.Detect;

    /// <summary>Turns an accepted connection into the stream to read (TLS wraps it); null to drop it.</summary>
    protected virtual ValueTask<Stream?> OpenAsync(NetworkStream connection, string peer, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream?>(connection);

    public async Task RunAsync(ChannelWriter<RawMessage> output, CancellationToken stoppingToken)
    {
        var endpoint = _options.ParseEndpoint(_section);
        using var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endpoint);
            listener.Listen(512);
        }
        catch (SocketException e)
        {
            _listening.TrySetException(e);
            throw new InvalidOperationException($"Cannot listen for syslog on {Name}://{endpoint}: {e.Message}", e);
        }
        var bound = (IPEndPoint)listener.LocalEndPoint!;
        LogListening(Log.Logger, Name, bound);
        _listening.TrySetResult(bound);

        var connections = new HashSet<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptAsync(stoppingToken);
                }
                catch (SocketException e)
                {
                    // A connection reset before it was accepted, or out of file descriptors: not fatal, breathe and go on.
                    LogAcceptFailed(Log.Logger, e.SocketErrorCode.ToString());
                    await Task.Delay(TimeSpan.FromMilliseconds(50), _clock, stoppingToken);
                    continue;
                }
                Log.Metrics.ConnectionAccepted();
                if (Interlocked.Increment(ref _active) > _options.MaxConnections)
                {
                    Interlocked.Decrement(ref _active);
                    Log.ConnectionRejected(PeerOf(socket), _options.MaxConnections);
                    socket.Dispose();
                    continue;
                }
                connections.RemoveWhere(t => t.IsCompleted);
                connections.Add(Task.Run(() => ServeAsync(socket, output, stoppingToken), CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(Socket socket, ChannelWriter<RawMessage> output, CancellationToken stoppingToken)
    {
        var peer = PeerOf(socket);
        var idleTimeout = _options.IdleTimeout > TimeSpan.Zero ? _options.IdleTimeout : Timeout.InfiniteTimeSpan;
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _clock);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, idle.Token);
        Stream? stream = new NetworkStream(socket, ownsSocket: true);
        using var reader = new FramedStreamReader(_options.MaxMessageBytes, Framing, Log, _clock) { Origin = peer };
        try
        {
            idle.CancelAfter(idleTimeout);
            stream = await OpenAsync((NetworkStream)stream, peer, cancel.Token);
            if (stream is null) return;
            while (true)
            {
                idle.CancelAfter(idleTimeout);
                var read = await reader.FillAsync(stream, cancel.Token);
                // Disarmed while the pipeline is busy: waiting on backpressure is not the peer being idle.
                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                if (read == 0)
                {
                    await reader.CompleteAsync(output);
                    break;
                }
                await reader.DrainAsync(output);
                if (reader.Failed) break;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            Log.IdleTimeout(peer, idleTimeout);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            LogConnectionError(Log.Logger, peer, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever one connection runs into, the listener and the other connections carry on.
            LogConnectionFailed(Log.Logger, peer, e);
        }
        finally
        {
            if (stream is not null) await stream.DisposeAsync();
            socket.Dispose();
            Interlocked.Decrement(ref _active);
        }
    }

    private static string PeerOf(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "?";
        }
        catch (SocketException)
        {
            return "?"; // already reset by the peer
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting a connection failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection from {Peer} failed")]
    private static partial void LogConnectionFailed(ILogger logger, string peer, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for syslog on {Scheme}://{Endpoint}")]
    private static partial void LogListening(ILogger logger, string scheme, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection from {Peer} ended: {Reason}")]
    private static partial void LogConnectionError(ILogger logger, string peer, string reason);
}
