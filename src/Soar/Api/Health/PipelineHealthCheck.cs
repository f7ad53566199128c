using Microsoft.Extensions.Diagnostics.HealthChecks;
using Soar.Pipeline;

namespace Soar.Api.Health;

/// <summary>Healthy while the pipeline runs; unhealthy once it has stopped or failed.</summary>
public sealed class PipelineHealthCheck(SoarPipeline pipeline, PipelineMetrics metrics) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["lines_processed"] = metrics.LinesProcessed,
            ["parse_failures"] = metrics.MalformedLines,
            ["incidents_opened"] = metrics.IncidentsOpened,
        };
        var completion = pipeline.Completion;
        var result = pipeline.Failure.IsCompleted
            ? HealthCheckResult.Unhealthy(pipeline.Failure.Result.Message, data: data)
            : completion.IsFaulted
            ? HealthCheckResult.Unhealthy("The pipeline failed.", completion.Exception?.GetBaseException(), data)
            : completion.IsCompleted
                ? HealthCheckResult.Unhealthy("The pipeline is not running.", data: data)
                : HealthCheckResult.Healthy("The pipeline is running.", data);
        return Task.FromResult(result);
    }
}
