using System.Net;
using System.Net.Sockets;
using System.Text;
using Soar.Simulation;
using Soar.Simulation.Output;
using static Soar.Tests.Simulation.Output.OutputTestSupport;

namespace Soar.Tests.Simulation.Output;

public class UdpAndStreamOutputTests
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    [Fact]
    public async Task UdpSendsOneDatagramPerLine()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        await using var output = new UdpLineOutput("127.0.0.1", port);
        var summary = await new SimulationSender(Renderer(), output, TimeProvider.System).SendAsync(SomeLines(5), new Pacing(), null, Timeout);

        Assert.Equal(5, summary.Sent);
        for (var i = 0; i < 5; i++)
        {
            var datagram = await receiver.ReceiveAsync(Timeout);
            var text = Encoding.UTF8.GetString(datagram.Buffer);
            Assert.StartsWith("<38>Nov 26 ", text);
            Assert.EndsWith($"port {40000 + i} ssh2", text); // no line ending in a datagram
        }
    }

    [Fact]
    public async Task AFileGetsOneLinePerLineWithoutPriority()
    {
        var path = Path.Combine(Path.GetTempPath(), $"soar-sim-{Guid.NewGuid():N}.log");
        try
        {
            var renderer = new SyslogRenderer(SyslogFormat.Rfc3164, "web-01", TimeZoneInfo.Utc, priority: false);
            await using (var output = StreamLineOutput.CreateFile(path))
                await new SimulationSender(renderer, output, TimeProvider.System).SendAsync(SomeLines(3), new Pacing(), null, Timeout);
            var lines = await File.ReadAllLinesAsync(path, Timeout);
            Assert.Equal(3, lines.Length);
            Assert.Equal("Nov 26 15:00:00 web-01 sshd[1000]: Failed password for root from 203.0.113.7 port 40000 ssh2", lines[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
