using System.Net;
using System.Net.Sockets;
using System.Text;
using Soar.Simulation;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Simulation.Output;

internal static class OutputTestSupport
{
    public static SimulatedLine[] SomeLines(int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
            new SimulatedLine(Lines.Now.AddSeconds(i), 1000 + i, LineForm.FailedPassword, "root", "203.0.113.7", 40000 + i, 0, 0))];

    public static SyslogRenderer Renderer(SyslogFormat format = SyslogFormat.Rfc3164) =>
        new(format, "web-01", TimeZoneInfo.Utc, priority: true);

    /// <summary>Reads everything one accepted connection sends until it closes.</summary>
    public static async Task<string> ReadAllAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        using var client = await listener.AcceptTcpClientAsync(cancellationToken);
        using var reader = new StreamReader(client.GetStream(), Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    public static TcpListener Listen(int port = 0)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return listener;
    }

    public static int PortOf(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
