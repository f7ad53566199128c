using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Soar.Events;
using Soar.Ingest;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Pipeline;

/// <summary>The pipeline runs until it is asked to stop, whatever its sources do.</summary>
public class PipelineLifetimeTests
{
    private static StringContent OneRow() =>
        new(File.ReadAllText(RepoFiles.Path("tests/corpus/splunk-webhook/one-row.json")), Encoding.UTF8, "application/json");

    [Fact]
    public async Task WithEverySyslogSourceOffASplunkAlertStillBecomesAnIncidentAndTheServiceStaysHealthy()
    {
        await using var host = await SoarTestHost.StartAsync(settings: new() { ["Ingest:Tcp:Listen"] = "off" });
        await Task.Delay(100); // time for a pipeline without sources to (wrongly) finish

        var response = await host.Client.PostAsync($"/webhooks/splunk/{SoarTestHost.Token}", OneRow());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var change = Assert.Single(await host.WaitForChangesAsync(1));
        Assert.Equal(IncidentChangeKind.Opened, change.Kind);
        await host.WaitForConsoleAsync("203.0.113.45");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task ASourceThatEndsDoesNotEndThePipeline()
    {
        await using var host = await SoarTestHost.StartAsync(configure: s => s.AddSingleton<IMessageSource>(new EndingSource(null)));
        await Task.Delay(100);

        await host.Client.PostAsync($"/webhooks/splunk/{SoarTestHost.Token}", OneRow());

        Assert.Single(await host.WaitForChangesAsync(1));
        Assert.False(host.Get<SoarPipeline>().Completion.IsCompleted);
        Assert.False(host.Get<SoarPipeline>().Failure.IsCompleted);
    }

    [Fact]
    public async Task APipelineThatEndsWithoutBeingAskedStopsTheHostAndSaysWhy()
    {
        // A source that breaks the ingest channel: detection fails, and nobody asked it to stop.
        await using var host = await SoarTestHost.StartAsync(
            configure: s => s.AddSingleton<IMessageSource>(new EndingSource(new InvalidDataException("channel broken"))));
        var pipeline = host.Get<SoarPipeline>();

        var reason = await pipeline.Failure.WaitAsync(TimeSpan.FromSeconds(10));
        var stopping = host.Get<IHostApplicationLifetime>().ApplicationStopping;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!stopping.IsCancellationRequested && DateTime.UtcNow < deadline) await Task.Delay(10);

        Assert.True(stopping.IsCancellationRequested);
        Assert.Contains("channel broken", reason.Message);
        Assert.DoesNotContain('\n', reason.Message);
    }

    [Fact]
    public async Task StoppingAsAskedIsNoFailure()
    {
        var host = await SoarTestHost.StartAsync(settings: new() { ["Ingest:Tcp:Listen"] = "off" });
        var pipeline = host.Get<SoarPipeline>();

        await host.DisposeAsync();

        Assert.True(pipeline.Completion.IsCompletedSuccessfully);
        Assert.False(pipeline.Failure.IsCompleted);
    }

    /// <summary>A source that ends at once: cleanly, or by completing the ingest channel with an error.</summary>
    private sealed class EndingSource(Exception? error) : IMessageSource
    {
        public string Name => "ending";

        public Task RunAsync(ChannelWriter<RawMessage> output, CancellationToken cancellationToken)
        {
            if (error is not null) output.TryComplete(error);
            return Task.CompletedTask;
        }
    }
}
