using Microsoft.Extensions.Hosting;

namespace Soar.Pipeline;

/// <summary>Runs the pipeline inside the Generic Host: Ctrl+C or SIGTERM stops it after a drain.</summary>
public sealed class PipelineHostedService(SoarPipeline pipeline) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        pipeline.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => pipeline.StopAsync(cancellationToken);
}
