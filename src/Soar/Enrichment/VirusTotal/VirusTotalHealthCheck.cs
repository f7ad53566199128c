using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Soar.Enrichment.VirusTotal;

/// <summary>
/// "virustotal" in the health report: healthy when lookups work or VirusTotal is not configured;
/// degraded (a warning, Soar still runs) when the key was rejected, the quota is spent, or the
/// last lookup failed.
/// </summary>
public sealed class VirusTotalHealthCheck(VirusTotalOptions options, IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.IsConfigured) return Task.FromResult(HealthCheckResult.Healthy("VirusTotal not configured"));
        var enricher = (VirusTotalEnricher?)services.GetService(typeof(VirusTotalEnricher));
        return Task.FromResult(enricher?.State switch
        {
            null or VirusTotalState.Ok => HealthCheckResult.Healthy("VirusTotal enrichment working"),
            _ => HealthCheckResult.Degraded(enricher.StateReason ?? enricher.State.ToString()),
        });
    }
}
