using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Soar.Response.Outbox;

/// <summary>
/// "responders" in <c>GET /healthz</c>: healthy while every responder delivers; degraded (Soar still
/// runs, the console still prints) when one is retrying or disabled, with the reason, which never
/// holds a secret. The data gives each responder's state and the outbox's counts.
/// </summary>
public sealed class ResponderHealthCheck(IResponderHealth health, OutboxStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var responders = health.Responders;
        var data = new Dictionary<string, object>();
        foreach (var responder in responders) data[responder.Responder] = responder.State.ToString().ToLowerInvariant();
        foreach (var (state, count) in store.CountByState()) data["outbox_" + state.Name()] = count;

        var troubled = responders.Where(r => r.State != ResponderState.Healthy).ToList();
        var result = troubled.Count == 0
            ? HealthCheckResult.Healthy("every responder is delivering", data)
            : HealthCheckResult.Degraded(string.Join("; ", troubled.Select(r =>
                $"{r.Responder} {(r.State == ResponderState.Disabled ? "DISABLED" : "retrying")} since {r.Since:u}: {r.Detail}")), data: data);
        return Task.FromResult(result);
    }
}
