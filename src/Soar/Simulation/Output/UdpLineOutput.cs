using System.Net.Sockets;

namespace Soar.Simulation.Output;

/// <summary>
/// Lines to a syslog receiver over UDP, one datagram each. UDP says nothing about delivery; a send
/// the kernel refuses (nothing listening: ICMP port unreachable) is counted as unsent.
/// </summary>
public sealed class UdpLineOutput : LineOutput
{
    private readonly Socket _socket;

    public UdpLineOutput(string host, int port)
    {
        _socket = new Socket(SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Connect(host, port);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    public override bool TryAppend(in SimulatedLine line, ReadOnlySpan<byte> rendered)
    {
        try
        {
            _socket.Send(rendered);
            Sent++;
        }
        catch (SocketException e)
        {
            Unsent++;
            LastError = e.Message;
        }
        return true;
    }

    public override ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await base.DisposeAsync();
    }
}
