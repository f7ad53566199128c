using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Soar.Detection;
using Soar.Events;
using Soar.Ingest.Tcp;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Pipeline;

public class IdleResolutionTests
{
    [Fact]
    public async Task AnIncidentResolvesAfterTheQuietPeriodEvenWhenNoMoreLinesArrive()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        using var dataDir = new TempDataDir();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataDir"] = dataDir.Path,
            ["Ingest:Tcp:Listen"] = "127.0.0.1:0",
            ["Syslog:TimeZone"] = "UTC",
        }).Build();
        await using var services = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddLogging()
            .AddSoarPipeline(configuration, TextWriter.Null).BuildServiceProvider();
        var pipeline = services.GetRequiredService<SoarPipeline>();
        pipeline.Start();
        var endpoint = await services.GetRequiredService<TcpSyslogSource>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        var text = string.Concat(Enumerable.Range(0, 11).Select(i =>
            $"2026-11-26T11:59:{i:00}.000000+00:00 vm sshd[{100 + i}]: Failed password for root from 203.0.113.80 port {40000 + i} ssh2\n"));
        using (var client = new System.Net.Sockets.TcpClient())
        {
            await client.ConnectAsync(endpoint);
            await client.GetStream().WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
        }
        var detector = services.GetRequiredService<Detector>();
        var metrics = services.GetRequiredService<PipelineMetrics>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (metrics.LinesProcessed < 11 && DateTime.UtcNow < deadline) await Task.Delay(10);

        // Ten minutes of silence at a time: not resolved before an hour, resolved after it.
        for (var minutes = 10; minutes <= 80 && DateTime.UtcNow < deadline; minutes += 10)
        {
            await Task.Delay(50);
            clock.Advance(TimeSpan.FromMinutes(10));
            await Task.Delay(50);
            var status = Assert.Single(detector.Incidents).Status;
            if (minutes < 60) Assert.Equal(IncidentStatus.Open, status);
            else if (status == IncidentStatus.Resolved) break;
        }
        await pipeline.StopAsync();
        Assert.Equal(IncidentStatus.Resolved, Assert.Single(detector.Incidents).Status);
    }

    [Fact]
    public async Task AnIncidentFromASplunkAlertResolvesOnTheClockWhenNoLocalEventEverArrives()
    {
        await using var host = await TestSupport.SoarTestHost.StartAsync();
        await host.Client.PostAsync($"/webhooks/splunk/{TestSupport.SoarTestHost.Token}", new StringContent(
            File.ReadAllText(TestSupport.RepoFiles.Path("tests/corpus/splunk-webhook/one-row.json"))));
        Assert.Equal(IncidentChangeKind.Opened, Assert.Single(await host.WaitForChangesAsync(1)).Kind);

        // The alert's last event was at 00:00:59 and the clock says 00:10: quiet at 01:00:59.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (host.Changes.All.Count < 2 && DateTime.UtcNow < deadline)
        {
            host.Time.Advance(TimeSpan.FromMinutes(10));
            await Task.Delay(50);
        }

        var resolved = (await host.WaitForChangesAsync(2))[1];
        Assert.Equal(IncidentChangeKind.Resolved, resolved.Kind);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 1, 0, 59, TimeSpan.Zero), resolved.Time);
    }
}
