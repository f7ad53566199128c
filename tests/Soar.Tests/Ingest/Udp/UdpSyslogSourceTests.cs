using System.Net.Sockets;
using System.Text;
using Soar.Ingest.Udp;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Ingest.Udp;

public sealed class UdpSyslogSourceTests
{
    [Fact]
    public async Task EachDatagramIsOneMessageWithItsTrailingLineEndTrimmedAndOversizeOnesAreCounted()
    {
        var metrics = new PipelineMetrics();
        var source = new UdpSyslogSource(new UdpSyslogOptions { Listen = "127.0.0.1:0", MaxMessageBytes = 100 },
            metrics, TimeProvider.System, SourceHarness.Logger<UdpSyslogSource>());
        await using var harness = new SourceHarness(source);
        var endpoint = await source.Listening.WaitAsync(TimeSpan.FromSeconds(10));

        using var client = new UdpClient(endpoint.AddressFamily);
        foreach (var datagram in new[] { "<38>one\n", "<38>two\r\n", "<38>three\0", "<38>four\nstill four", new string('x', 101), "\n" })
            await client.SendAsync(Encoding.UTF8.GetBytes(datagram), endpoint);
        await harness.UntilReceived(4);
        await SourceHarness.Until(() => metrics.MessagesDropped == 2, "the oversize and the empty datagram to be counted");

        Assert.Equal(["<38>one", "<38>two", "<38>three", "<38>four\nstill four"], harness.Received);
        Assert.Equal(4, metrics.MessagesReceived);
    }

    [Fact]
    public async Task StoppingTheSourceReturnsPromptly()
    {
        var source = new UdpSyslogSource(new UdpSyslogOptions { Listen = "127.0.0.1:0" }, new PipelineMetrics(),
            TimeProvider.System, SourceHarness.Logger<UdpSyslogSource>());
        var harness = new SourceHarness(source);
        await source.Listening.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.StopAsync();
        Assert.True(harness.Run.IsCompletedSuccessfully);
    }
}
