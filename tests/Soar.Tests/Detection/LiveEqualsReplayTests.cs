using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Soar.Detection;
using Soar.Events;
using Soar.Ingest.File;
using Soar.Ingest.Tcp;
using Soar.Parsing;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Detection;

/// <summary>Event time drives detection: the corpus sent live over a socket gives what replay gives.</summary>
public class LiveEqualsReplayTests
{
    private static string Summary(IEnumerable<Incident> incidents) => string.Join("\n", incidents
        .OrderBy(i => i.Key.ToString(), StringComparer.Ordinal)
        .Select(i => $"{i.Key} {i.Severity.Name()} {i.Attempts} {i.FirstSeen:O} {i.LastSeen:O} " +
                     string.Join(",", i.Findings.Select(f => $"{f.Rule}:{f.Count}"))));

    [Fact]
    public async Task TheCorpusSentOverTcpGivesTheSameIncidentsAsReplay()
    {
        var file = CorpusFiles.Path("auth-rfc5424.log");
        var parser = Lines.Parser();
        var replay = Detector.CreateDefault();
        var changes = new List<IncidentChange>();
        using (var reader = LogFileReader.Open(file))
            foreach (var line in LogFileReader.Lines(reader))
                if (parser.Parse(line, out var e) == LineResult.Recognised) replay.Observe(e!, changes);

        using var dataDir = new TempDataDir();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataDir"] = dataDir.Path,
            ["Ingest:Tcp:Listen"] = "127.0.0.1:0",
            ["Syslog:TimeZone"] = "UTC",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddSoarPipeline(configuration, TextWriter.Null)
            .BuildServiceProvider();
        var pipeline = services.GetRequiredService<SoarPipeline>();
        pipeline.Start();
        var endpoint = await services.GetRequiredService<TcpSyslogSource>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        var lines = File.ReadAllLines(file);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(endpoint);
            await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        }
        var metrics = services.GetRequiredService<PipelineMetrics>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (metrics.LinesProcessed < lines.Length && DateTime.UtcNow < deadline) await Task.Delay(10);
        await pipeline.StopAsync();

        Assert.Equal(lines.Length, metrics.LinesProcessed);
        var live = services.GetRequiredService<Detector>().Incidents.ToList();
        Assert.Equal(9, live.Count);
        Assert.Equal(Summary(replay.Incidents), Summary(live));
    }
}
