using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Soar.Detection;
using Soar.Events;
using Soar.Ingest.Udp;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Ingest.Udp;

/// <summary>The real pipeline with UDP as its only source, on a free loopback port.</summary>
public sealed class UdpPipelineEndToEndTests
{
    [Fact]
    public async Task DatagramsSentToThePipelineOpenAnIncidentForTheAttacker()
    {
        using var dataDir = new TempDataDir();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataDir"] = dataDir.Path,
            ["Ingest:Tcp:Listen"] = "off",
            ["Ingest:Udp:Listen"] = "127.0.0.1:0",
            ["Syslog:TimeZone"] = "UTC",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddSoarPipeline(configuration, new StringWriter())
            .BuildServiceProvider();
        var pipeline = services.GetRequiredService<SoarPipeline>();
        pipeline.Start();
        var endpoint = await services.GetRequiredService<UdpSyslogSource>().Listening.WaitAsync(TimeSpan.FromSeconds(10));

        using var client = new UdpClient(endpoint.AddressFamily);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 12; i++)
        {
            await client.SendAsync(Encoding.UTF8.GetBytes("<38>" + Lines.FailedPassword(now.AddSeconds(i), "203.0.113.77") + "\n"), endpoint);
            // Loopback UDP can drop a burst when the reader is slow to start; pace it a little.
            await Task.Delay(5);
        }
        var metrics = services.GetRequiredService<PipelineMetrics>();
        await SourceHarness.Until(() => metrics.LinesProcessed == 12, "12 lines through the pipeline");
        await pipeline.StopAsync();

        var incident = Assert.Single(services.GetRequiredService<Detector>().Incidents);
        Assert.Equal(IncidentKey.SourceIp("203.0.113.77"), incident.Key);
        Assert.Equal(12, incident.Attempts);
    }
}
