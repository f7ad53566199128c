using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Soar.Simulation;
using Soar.Simulation.Output;
using static Soar.Tests.Simulation.Output.OutputTestSupport;

namespace Soar.Tests.Simulation.Output;

public class TcpLineOutputTests
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    [Theory]
    [InlineData(Framing.Lf)]
    [InlineData(Framing.OctetCounted)]
    public async Task EveryLineArrivesFramedAsAsked(Framing framing)
    {
        using var listener = Listen();
        var received = ReadAllAsync(listener, Timeout);
        var output = new TcpLineOutput("127.0.0.1", PortOf(listener), framing, TimeSpan.FromSeconds(1), TimeProvider.System);
        await output.ConnectAsync(Timeout);
        SendSummary summary;
        await using (output)
            summary = await new SimulationSender(Renderer(), output, TimeProvider.System).SendAsync(SomeLines(1000), new Pacing(), null, Timeout);

        var text = await received;
        Assert.Equal(1000, summary.Sent);
        Assert.Equal(0, summary.Unsent);
        if (framing == Framing.Lf)
        {
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(1000, lines.Length);
            Assert.All(lines, l => Assert.StartsWith("<38>Nov 26 ", l));
        }
        else
        {
            // "LEN <38>…" back to back, each length exact (all ASCII here).
            var count = 0;
            for (var rest = text; rest.Length > 0; count++)
            {
                var space = rest.IndexOf(' ');
                var length = int.Parse(rest[..space]);
                Assert.StartsWith("<38>Nov 26 ", rest.Substring(space + 1, length));
                rest = rest[(space + 1 + length)..];
            }
            Assert.Equal(1000, count);
        }
    }

    [Fact]
    public async Task AReceiverThatRestartsGetsTheRestAfterAReconnect()
    {
        var listener = Listen();
        var port = PortOf(listener);
        var output = new TcpLineOutput("127.0.0.1", port, Framing.Lf, TimeSpan.FromSeconds(10), TimeProvider.System);
        await output.ConnectAsync(Timeout);
        var renderer = Renderer();
        var lines = SomeLines(20);

        // First half, then the receiver goes away (closes the connection, stops listening) and comes back.
        var sender = new SimulationSender(renderer, output, TimeProvider.System);
        await sender.SendAsync(lines[..10], new Pacing(), null, Timeout);
        using (var first = await listener.AcceptTcpClientAsync(Timeout))
        {
            var buffer = new byte[64 * 1024];
            var got = 0;
            while (Encoding.UTF8.GetString(buffer, 0, got).Count(c => c == '\n') < 10)
                got += await first.GetStream().ReadAsync(buffer.AsMemory(got), Timeout);
        }
        listener.Stop();
        await Task.Delay(200, Timeout);
        using var restarted = Listen(port);
        var received = ReadAllAsync(restarted, Timeout);

        var summary = await new SimulationSender(renderer, output, TimeProvider.System).SendAsync(lines[10..], new Pacing(), null, Timeout);
        await output.DisposeAsync();

        var text = await received;
        Assert.Equal(0, output.Unsent);
        Assert.Equal(1, output.Reconnects);
        Assert.Equal(10, Regex.Matches(text, "\n").Count);
        Assert.Contains("port 40019 ssh2", text);
        Assert.Equal(10, summary.Lines);
    }

    [Fact]
    public async Task AReceiverThatNeverComesBackIsReportedAsUnsentLines()
    {
        var listener = Listen();
        var output = new TcpLineOutput("127.0.0.1", PortOf(listener), Framing.Lf, TimeSpan.FromMilliseconds(300), TimeProvider.System);
        await output.ConnectAsync(Timeout);
        (await listener.AcceptTcpClientAsync(Timeout)).Dispose();
        listener.Stop();
        await Task.Delay(100, Timeout);

        var summary = await new SimulationSender(Renderer(), output, TimeProvider.System).SendAsync(SomeLines(50), new Pacing(), null, Timeout);
        await output.DisposeAsync();

        Assert.Equal(50, summary.Unsent);
        Assert.Equal(0, summary.Sent);
        Assert.NotNull(summary.LastError);
    }

    [Fact]
    public async Task ConnectingToNothingThrowsSoTheCommandCanSaySo()
    {
        var listener = Listen();
        var port = PortOf(listener);
        listener.Stop();
        var output = new TcpLineOutput("127.0.0.1", port, Framing.Lf, TimeSpan.Zero, TimeProvider.System);
        await Assert.ThrowsAsync<SocketException>(() => output.ConnectAsync(Timeout));
    }

    [Fact]
    public async Task PacingByRateSpreadsTheLinesOverTime()
    {
        using var listener = Listen();
        var received = ReadAllAsync(listener, Timeout);
        var output = new TcpLineOutput("127.0.0.1", PortOf(listener), Framing.Lf, TimeSpan.FromSeconds(1), TimeProvider.System);
        await output.ConnectAsync(Timeout);
        SendSummary summary;
        await using (output)
            summary = await new SimulationSender(Renderer(), output, TimeProvider.System).SendAsync(SomeLines(40), new Pacing(Rate: 100), null, Timeout);
        await received;
        // 40 lines at 100 a second: the last is due at 0.39 s.
        Assert.True(summary.Elapsed >= TimeSpan.FromSeconds(0.35), summary.Elapsed.ToString());
        Assert.Equal(40, summary.Sent);
    }
}
