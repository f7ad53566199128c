using Microsoft.Extensions.Hosting;

namespace Soar.Pipeline;

/// <summary>
/// Runs the pipeline inside the Generic Host: Ctrl+C or SIGTERM stops it after a drain, and so
/// does a pipeline that must stop by itself: a source failed for good, or the pipeline ended
/// (the caller reads <see cref="SoarPipeline.Failure"/>).
/// </summary>
public sealed class PipelineHostedService(SoarPipeline pipeline, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        pipeline.Start();
        // Once started: stopping the host while it still starts would fail its start-up instead.
        lifetime.ApplicationStarted.Register(() =>
            pipeline.Failure.ContinueWith(_ => lifetime.StopApplication(), TaskScheduler.Default));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => pipeline.StopAsync(cancellationToken);
}
