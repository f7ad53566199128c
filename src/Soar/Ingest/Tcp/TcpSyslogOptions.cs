using System.Net;

namespace Soar.Ingest.Tcp;

public sealed class TcpSyslogOptions
{
    /// <summary>Address and port to listen on; loopback by default. Port 0 picks a free port.</summary>
    public string Listen { get; set; } = "127.0.0.1:1514";

    /// <summary>Longest message accepted; a longer one is counted and skipped.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    public IPEndPoint ParseEndpoint() =>
        IPEndPoint.TryParse(Listen, out var endpoint) && (Listen.Contains(':') || endpoint.Port != 0)
            ? endpoint
            : throw new ArgumentException(
                $"Ingest:Tcp:Listen '{Listen}' is not an address:port such as 127.0.0.1:1514 or [::1]:1514.");
}
