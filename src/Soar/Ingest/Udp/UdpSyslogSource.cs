using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Soar.Pipeline;

namespace Soar.Ingest.Udp;

/// <summary>
/// Syslog over UDP (RFC 5426): one message per datagram, a trailing LF, CR or NUL trimmed. UDP loses what
/// the kernel cannot buffer; the receive buffer is large to ride out bursts.
/// </summary>
public sealed partial class UdpSyslogSource(
    UdpSyslogOptions options,
    PipelineMetrics metrics,
    TimeProvider clock,
    ILogger<UdpSyslogSource> logger) : IMessageSource
{
    // The largest UDP payload (65,535 less the IP and UDP headers) fits; nothing is truncated by the read.
    private const int DatagramBytes = 65_536;
    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);
    private readonly IngestLog _log = new(logger, metrics, clock);
    private readonly TaskCompletionSource<IPEndPoint> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "udp";

    /// <summary>Completes with the bound address once the socket receives.</summary>
    public Task<IPEndPoint> Listening => _listening.Task;

    public async Task RunAsync(ChannelWriter<RawMessage> output, CancellationToken stoppingToken)
    {
        var endpoint = options.ParseEndpoint();
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = options.ReceiveBufferBytes;
            socket.Bind(endpoint);
        }
        catch (SocketException e)
        {
            _listening.TrySetException(e);
            throw new InvalidOperationException($"Cannot listen for syslog on udp://{endpoint}: {e.Message}", e);
        }
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        LogListening(bound);
        _listening.TrySetResult(bound);

        var buffer = GC.AllocateUninitializedArray<byte>(DatagramBytes);
        EndPoint any = new IPEndPoint(endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stoppingToken.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException e)
            {
                // An ICMP "port unreachable" for an earlier send, or the like: the socket itself is fine.
                LogReceiveError(e.Message);
                continue;
            }
            var text = Decode(buffer.AsSpan(0, result.ReceivedBytes), result.RemoteEndPoint);
            if (text is null) continue;
            var message = new RawMessage(text, clock.GetUtcNow());
            if (!output.TryWrite(message)) await output.WriteAsync(message, CancellationToken.None);
        }
    }

    private string? Decode(ReadOnlySpan<byte> datagram, EndPoint peer)
    {
        datagram = datagram.TrimEnd("\r\n\0"u8);
        if (datagram.Length > options.MaxMessageBytes)
        {
            _log.Oversize(peer.ToString() ?? "?", options.MaxMessageBytes);
            return null;
        }
        if (datagram.IsEmpty)
        {
            _log.Empty();
            return null;
        }
        metrics.MessageReceived();
        return Utf8.GetString(datagram);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for syslog on udp://{Endpoint}")]
    private partial void LogListening(IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP receive failed: {Reason}")]
    private partial void LogReceiveError(string reason);
}
