using System.Net;

namespace Soar.Api;

/// <summary>Where the HTTP API listens (config <c>Http:Listen</c>, env <c>SOAR_HTTP</c>).</summary>
public sealed class HttpApiOptions
{
    /// <summary>Address and port; loopback by default. Port 0 picks a free port.</summary>
    public string Listen { get; set; } = "127.0.0.1:5000";

    public IPEndPoint ParseEndpoint() =>
        IPEndPoint.TryParse(Listen, out var endpoint) && (Listen.Contains(':') || endpoint.Port != 0)
            ? endpoint
            : throw new ArgumentException(
                $"Http:Listen '{Listen}' is not an address:port such as 127.0.0.1:5000 or [::1]:5000.");
}
