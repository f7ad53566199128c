using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Soar.Pipeline;

namespace Soar.Ingest.Tcp;

/// <summary>
/// Syslog over TCP with newline framing (LF or CRLF): one message per line. Each connection
/// is read on its own task; lines go into the pipeline's channel, waiting when it is full.
/// </summary>
public sealed partial class TcpSyslogSource(
    TcpSyslogOptions options,
    PipelineMetrics metrics,
    TimeProvider clock,
    ILogger<TcpSyslogSource> logger) : IMessageSource
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);
    private readonly TaskCompletionSource<IPEndPoint> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "tcp";

    /// <summary>Completes with the bound address once the listener accepts connections.</summary>
    public Task<IPEndPoint> Listening => _listening.Task;

    public async Task RunAsync(ChannelWriter<RawMessage> output, CancellationToken stoppingToken)
    {
        var endpoint = options.ParseEndpoint();
        using var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endpoint);
            listener.Listen(512);
        }
        catch (SocketException e)
        {
            _listening.TrySetException(e);
            throw new InvalidOperationException($"Cannot listen for syslog on tcp://{endpoint}: {e.Message}", e);
        }
        var bound = (IPEndPoint)listener.LocalEndPoint!;
        LogListening(bound);
        _listening.TrySetResult(bound);

        var connections = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var socket = await listener.AcceptAsync(stoppingToken);
                metrics.ConnectionAccepted();
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(ReadConnectionAsync(socket, output, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(connections);
    }

    private async Task ReadConnectionAsync(Socket socket, ChannelWriter<RawMessage> output, CancellationToken stoppingToken)
    {
        var peer = socket.RemoteEndPoint?.ToString() ?? "?";
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = PipeReader.Create(stream);
        var skippingOversize = false;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(stoppingToken);
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    if (skippingOversize) { skippingOversize = false; continue; }
                    await WriteAsync(line, output);
                }
                // No newline yet: a message longer than the limit is dropped up to its end.
                if (buffer.Length > options.MaxMessageBytes)
                {
                    if (!skippingOversize) { metrics.MessageDropped(); LogOversize(peer, options.MaxMessageBytes); }
                    skippingOversize = true;
                    buffer = buffer.Slice(buffer.End);
                }
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty && !skippingOversize) await WriteAsync(buffer, output);
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (IOException e)
        {
            LogConnectionError(peer, e.Message);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, position.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    private async ValueTask WriteAsync(ReadOnlySequence<byte> line, ChannelWriter<RawMessage> output)
    {
        var text = Utf8.GetString(line).TrimEnd('\r', '\0');
        if (text.Length == 0) return;
        metrics.MessageReceived();
        // Never cancelled: a message that arrived is handed on even while stopping (drain).
        await output.WriteAsync(new RawMessage(text, clock.GetUtcNow()), CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for syslog on tcp://{Endpoint}")]
    private partial void LogListening(IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a message over {Limit} bytes from {Peer}")]
    private partial void LogOversize(string peer, int limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection from {Peer} ended: {Reason}")]
    private partial void LogConnectionError(string peer, string reason);
}
