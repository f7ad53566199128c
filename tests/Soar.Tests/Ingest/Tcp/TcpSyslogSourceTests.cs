using System.Net;
using System.Net.Sockets;
using System.Text;
using Soar.Ingest.Tcp;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Ingest.Tcp;

/// <summary>The TCP listener on a free loopback port, driven by real client sockets.</summary>
public sealed class TcpSyslogSourceTests : IAsyncLifetime
{
    private readonly PipelineMetrics _metrics = new();
    private SourceHarness _harness = null!;
    private IPEndPoint _endpoint = null!;

    private TcpSyslogOptions Options { get; } = new() { Listen = "127.0.0.1:0", MaxMessageBytes = 100 };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
    }

    private async Task StartAsync(Action<TcpSyslogOptions>? configure = null, TimeProvider? clock = null)
    {
        configure?.Invoke(Options);
        var source = new TcpSyslogSource(Options, _metrics, clock ?? TimeProvider.System, SourceHarness.Logger<TcpSyslogSource>());
        _harness = new SourceHarness(source);
        _endpoint = await source.Listening.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(_endpoint);
        return client;
    }

    private async Task SendAndCloseAsync(string text)
    {
        using var client = await ConnectAsync();
        await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>True when the server closed the connection (reads end) within 10 s.</summary>
    private static async Task<bool> ServerClosedAsync(TcpClient client)
    {
        try
        {
            var buffer = new byte[16];
            return await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10)) == 0;
        }
        catch (IOException)
        {
            return true; // reset
        }
    }

    [Fact]
    public async Task OctetCountingLfAndNulFramingWorkSideBySideOnOneListener()
    {
        await StartAsync();
        await Task.WhenAll(
            SendAndCloseAsync("9 <38>octet11 <38>octet 2"),
            SendAndCloseAsync("<38>lf\r\n<38>lf 2\n"),
            SendAndCloseAsync("<38>nul\0<38>nul 2\0"));
        await _harness.UntilReceived(6);
        Assert.Equal(
            ["<38>lf", "<38>lf 2", "<38>nul", "<38>nul 2", "<38>octet", "<38>octet 2"],
            _harness.Received.Order(StringComparer.Ordinal));
        Assert.Equal(6, _metrics.MessagesReceived);
    }

    [Fact]
    public async Task ManyConcurrentConnectionsLoseNoMessage()
    {
        await StartAsync();
        const int connections = 40, perConnection = 250;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var text = new StringBuilder();
            for (var i = 0; i < perConnection; i++)
            {
                var message = $"<38>c{c} m{i}";
                text.Append(c % 2 == 0 ? $"{Encoding.UTF8.GetByteCount(message)} {message}" : message + "\n");
            }
            await SendAndCloseAsync(text.ToString());
        }));
        await _harness.UntilReceived(connections * perConnection);
        Assert.Equal(connections * perConnection, _harness.Received.Distinct().Count());
        Assert.Equal(connections, _metrics.ConnectionsAccepted);
    }

    [Fact]
    public async Task AnOversizeMessageIsSkippedInEitherFramingAndTheConnectionGoesOn()
    {
        await StartAsync();
        var big = new string('x', 300);
        using var octet = await ConnectAsync();
        using var lines = await ConnectAsync();
        await octet.GetStream().WriteAsync(Encoding.UTF8.GetBytes($"6 <38>o1{big.Length} {big}6 <38>o2"));
        await lines.GetStream().WriteAsync(Encoding.UTF8.GetBytes($"<38>l1\n{big}\n<38>l2\n"));
        await _harness.UntilReceived(4);
        Assert.Equal(["<38>l1", "<38>l2", "<38>o1", "<38>o2"], _harness.Received.Order(StringComparer.Ordinal));
        Assert.Equal(2, _metrics.MessagesDropped);
        Assert.Equal(0, _metrics.FramingErrors);
    }

    [Fact]
    public async Task ALyingOctetCountIsAFramingErrorThatClosesOnlyThatConnection()
    {
        await StartAsync();
        using var liar = await ConnectAsync();
        using var honest = await ConnectAsync();
        // "4" covers "<38>" only; "hello9 …" is then no header at all.
        await liar.GetStream().WriteAsync("4 <38>hello9 <38>world"u8.ToArray());
        Assert.True(await ServerClosedAsync(liar));
        await honest.GetStream().WriteAsync("9 <38>after"u8.ToArray());
        await _harness.UntilReceived(2);
        Assert.Equal(["<38>", "<38>after"], _harness.Received.Order(StringComparer.Ordinal));
        Assert.Equal(1, _metrics.FramingErrors);
    }

    [Fact]
    public async Task APeerThatStopsMidFrameLosesOnlyTheCutOffFrame()
    {
        await StartAsync();
        await SendAndCloseAsync("7 <38>one50 <38>cut off");
        await SendAndCloseAsync("<38>two\n<38>last line without a newline");
        await _harness.UntilReceived(3);
        await SourceHarness.Until(() => _metrics.FramingErrors == 1, "the cut-off frame to be counted");
        Assert.Equal(["<38>last line without a newline", "<38>one", "<38>two"], _harness.Received.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AConnectionThatStaysSilentIsClosedAfterTheIdleTimeout()
    {
        await StartAsync(o => o.IdleTimeout = TimeSpan.FromMilliseconds(300));
        using var client = await ConnectAsync();
        await client.GetStream().WriteAsync("<38>then silence\n"u8.ToArray());
        Assert.True(await ServerClosedAsync(client));
        Assert.Equal(1, _metrics.ConnectionsTimedOut);
        await _harness.UntilReceived(1);
        Assert.Equal(["<38>then silence"], _harness.Received);
    }

    [Fact]
    public async Task TheIdleTimeoutRunsOnTheInjectedClockAndEachMessageRestartsIt()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await StartAsync(o => o.IdleTimeout = TimeSpan.FromMinutes(15), clock);
        using var client = await ConnectAsync();
        await client.GetStream().WriteAsync("<38>one\n"u8.ToArray());
        await _harness.UntilReceived(1);
        await Task.Delay(50);
        clock.Advance(TimeSpan.FromMinutes(14));
        await client.GetStream().WriteAsync("<38>two\n"u8.ToArray());
        await _harness.UntilReceived(2);
        await Task.Delay(50);
        // 28 minutes in all, never 15 in silence. (A timer armed late only closes later: this cannot flake.)
        clock.Advance(TimeSpan.FromMinutes(14));
        await Task.Delay(50);
        Assert.Equal(0, _metrics.ConnectionsTimedOut);

        // Then silence: the connection is closed once 15 minutes have passed on the injected clock.
        for (var minutes = 0; minutes < 30 && _metrics.ConnectionsTimedOut == 0; minutes++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(20);
        }
        Assert.True(await ServerClosedAsync(client));
        Assert.Equal(1, _metrics.ConnectionsTimedOut);
    }

    [Fact]
    public async Task AConnectionOverTheLimitIsRefusedAndTheOthersCarryOn()
    {
        await StartAsync(o => o.MaxConnections = 2);
        using var first = await ConnectAsync();
        using var second = await ConnectAsync();
        await SourceHarness.Until(() => ((TcpSyslogSource)_harness.Source).ActiveConnections == 2, "two open connections");
        using var third = await ConnectAsync();
        Assert.True(await ServerClosedAsync(third));
        Assert.Equal(1, _metrics.ConnectionsRejected);
        await first.GetStream().WriteAsync("<38>first\n"u8.ToArray());
        await second.GetStream().WriteAsync("<38>second\n"u8.ToArray());
        await _harness.UntilReceived(2);
        Assert.Equal(["<38>first", "<38>second"], _harness.Received.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnIpv6LoopbackListenerWorks()
    {
        if (!Socket.OSSupportsIPv6) return;
        await StartAsync(o => o.Listen = "[::1]:0");
        Assert.Equal(AddressFamily.InterNetworkV6, _endpoint.AddressFamily);
        using var client = new TcpClient(AddressFamily.InterNetworkV6);
        await client.ConnectAsync(_endpoint);
        await client.GetStream().WriteAsync("<38>over ipv6\n"u8.ToArray());
        await _harness.UntilReceived(1);
        Assert.Equal(["<38>over ipv6"], _harness.Received);
    }

    [Fact]
    public async Task StoppingTheSourceEndsOpenConnectionsAndReturns()
    {
        await StartAsync();
        using var client = await ConnectAsync();
        await client.GetStream().WriteAsync("<38>before stop\n"u8.ToArray());
        await _harness.UntilReceived(1);
        await _harness.StopAsync();
        Assert.True(_harness.Run.IsCompletedSuccessfully);
        Assert.True(await ServerClosedAsync(client));
    }
}
