using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Soar.Detection;
using Soar.Events;
using Soar.Ingest.Tcp;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Ingest.Tcp;

/// <summary>The real pipeline with its real TCP listener on a free loopback port.</summary>
public sealed class TcpPipelineEndToEndTests : IAsyncLifetime
{
    private readonly StringWriter _console = new();
    private readonly DirectoryInfo _dataDir = Directory.CreateTempSubdirectory("soar-tcp-");
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:Tcp:Listen"] = "127.0.0.1:0",
            ["Ingest:Tcp:MaxMessageBytes"] = "4096",
            ["Syslog:TimeZone"] = "UTC",
            ["DataDir"] = _dataDir.FullName,
        }).Build();
        _services = new ServiceCollection().AddLogging().AddSoarPipeline(configuration, _console).BuildServiceProvider();
        _services.GetRequiredService<SoarPipeline>().Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.GetRequiredService<SoarPipeline>().StopAsync();
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dataDir.Delete(recursive: true);
    }

    private async Task SendAsync(string text)
    {
        var endpoint = await _services.GetRequiredService<TcpSyslogSource>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text));
    }

    private async Task WaitForLinesAsync(long count)
    {
        var metrics = _services.GetRequiredService<PipelineMetrics>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (metrics.LinesProcessed < count && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(count, metrics.LinesProcessed);
    }

    [Fact]
    public async Task LinesSentOverASocketOpenOneIncidentPerAttackerAndACard()
    {
        var now = DateTimeOffset.UtcNow;
        var text = new StringBuilder();
        for (var i = 0; i < 15; i++) text.Append("<38>").Append(Lines.FailedPassword(now.AddSeconds(i), "203.0.113.9")).Append("\r\n");
        for (var i = 0; i < 3; i++) text.Append(Lines.FailedPassword(now.AddSeconds(i), "198.51.100.1")).Append('\n');
        await SendAsync(text.ToString());
        await WaitForLinesAsync(18);
        await _services.GetRequiredService<SoarPipeline>().StopAsync();

        var incident = Assert.Single(_services.GetRequiredService<Detector>().Incidents);
        Assert.Equal(IncidentKey.SourceIp("203.0.113.9"), incident.Key);
        Assert.Equal(15, incident.Attempts);
        var card = _console.ToString();
        Assert.Contains("SSH brute force — 203.0.113.9", card);
        Assert.DoesNotContain("198.51.100.1", card);
    }

    [Fact]
    public async Task AnOversizeMessageIsCountedAndSkippedAndTheConnectionSurvives()
    {
        var now = DateTimeOffset.UtcNow;
        var text = new StringBuilder();
        text.Append(Lines.FailedPassword(now, "203.0.113.9")).Append('\n');
        text.Append('x', 10_000).Append('\n');
        text.Append(Lines.FailedPassword(now, "203.0.113.9")).Append('\n');
        await SendAsync(text.ToString());
        await WaitForLinesAsync(2);
        var metrics = _services.GetRequiredService<PipelineMetrics>();
        Assert.Equal(1, metrics.MessagesDropped);
        Assert.Equal(2, metrics.EventsRecognised);
    }

    [Fact]
    public async Task InvalidUtf8AndGarbageAreCountedWithoutStoppingThePipeline()
    {
        var endpoint = await _services.GetRequiredService<TcpSyslogSource>().Listening;
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { 0xff, 0xfe, 0xc3, 0x28, (byte)'\n', 0, 1, 2, (byte)'\n' });
        await stream.WriteAsync(Encoding.UTF8.GetBytes(Lines.FailedPassword(DateTimeOffset.UtcNow, "203.0.113.9") + "\n"));
        await WaitForLinesAsync(3);
        var metrics = _services.GetRequiredService<PipelineMetrics>();
        Assert.Equal(2, metrics.MalformedLines);
        Assert.Equal(1, metrics.EventsRecognised);
    }
}
