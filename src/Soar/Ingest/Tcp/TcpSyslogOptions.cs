using System.Net;

namespace Soar.Ingest.Tcp;

public class TcpSyslogOptions
{
    /// <summary>
    /// Address and port to listen on; loopback by default. Port 0 picks a free port; "off" (or empty)
    /// turns the listener off.
    /// </summary>
    public string Listen { get; set; } = "127.0.0.1:1514";

    /// <summary>Longest message accepted; a longer one is counted and skipped, and the connection goes on.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Connections open at once; one more is closed as soon as it is accepted, and counted.</summary>
    public int MaxConnections { get; set; } = 1024;

    /// <summary>
    /// A connection that sends nothing for this long is closed (a dead peer holds a slot otherwise).
    /// Long by default: a quiet SSH server may log nothing for a while. Zero means never.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    public virtual bool Enabled => !IsOff(Listen);

    internal static bool IsOff(string? listen) =>
        string.IsNullOrWhiteSpace(listen) || listen.Equals("off", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks every value; <paramref name="section"/> names the configuration keys in the error.</summary>
    public virtual void Validate(string section)
    {
        if (!Enabled) return;
        ParseEndpoint(section);
        if (MaxMessageBytes is < 1 or > 16 * 1024 * 1024)
            throw new ArgumentException($"{section}:MaxMessageBytes must be between 1 and 16777216, not {MaxMessageBytes}.");
        if (MaxConnections < 1)
            throw new ArgumentException($"{section}:MaxConnections must be at least 1, not {MaxConnections}.");
        if (IdleTimeout < TimeSpan.Zero)
            throw new ArgumentException($"{section}:IdleTimeout must not be negative.");
    }

    public IPEndPoint ParseEndpoint(string section = "Ingest:Tcp") => ParseEndpoint(Listen, section);

    internal static IPEndPoint ParseEndpoint(string listen, string section) =>
        IPEndPoint.TryParse(listen, out var endpoint) && (listen.Contains(':') || endpoint.Port != 0)
            ? endpoint
            : throw new ArgumentException(
                $"{section}:Listen '{listen}' is not an address:port such as 127.0.0.1:1514 or [::1]:1514 (or 'off').");
}
