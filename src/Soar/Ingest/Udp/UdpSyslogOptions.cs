using System.Net;
using Soar.Ingest.Tcp;

namespace Soar.Ingest.Udp;

public sealed class UdpSyslogOptions
{
    /// <summary>
    /// Address and port to listen on, or "off". Off when the pipeline is composed without it (tests, the demo);
    /// <c>soar run</c> listens on 127.0.0.1:1514 unless told otherwise.
    /// </summary>
    public string Listen { get; set; } = "off";

    /// <summary>Longest message accepted; a longer datagram is counted and dropped.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>The socket's receive buffer: what the kernel holds for us during a burst before it drops datagrams.</summary>
    public int ReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    public bool Enabled => !TcpSyslogOptions.IsOff(Listen);

    public void Validate(string section)
    {
        if (!Enabled) return;
        ParseEndpoint(section);
        if (MaxMessageBytes < 1)
            throw new ArgumentException($"{section}:MaxMessageBytes must be at least 1, not {MaxMessageBytes}.");
        if (ReceiveBufferBytes < 1)
            throw new ArgumentException($"{section}:ReceiveBufferBytes must be at least 1, not {ReceiveBufferBytes}.");
    }

    public IPEndPoint ParseEndpoint(string section = "Ingest:Udp") => TcpSyslogOptions.ParseEndpoint(Listen, section);
}
