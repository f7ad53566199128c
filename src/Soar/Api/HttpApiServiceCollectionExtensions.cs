using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Soar.Api.Health;
using Soar.Api.Incidents;
using Soar.Api.Metrics;
using Soar.Api.Splunk;
using Soar.Pipeline;
using Soar.Storage;

namespace Soar.Api;

/// <summary>Registers and maps the HTTP API: the Splunk webhook, incidents, health and metrics.</summary>
public static class HttpApiServiceCollectionExtensions
{
    public static IServiceCollection AddSoarHttpApi(this IServiceCollection services, IConfiguration configuration)
    {
        var splunk = configuration.BindSection<SplunkWebhookOptions>("Splunk");
        splunk.Validate();
        services.AddSingleton(splunk);
        services.AddSingleton<SplunkAlertTranslator>();
        services.AddSingleton<SplunkWebhookMetrics>();

        services.AddSingleton<IMetricsReporter, PipelineMetricsReporter>();
        services.AddSingleton<IncidentMetrics>();
        services.AddSingleton<IIncidentChangeObserver>(sp => sp.GetRequiredService<IncidentMetrics>());
        services.AddSingleton<IMetricsReporter>(sp => sp.GetRequiredService<IncidentMetrics>());
        services.AddSingleton<IMetricsReporter, SplunkWebhookMetricsReporter>();
        services.AddSingleton<IMetricsReporter, OutboxMetricsReporter>();
        services.AddSingleton<IMetricsReporter, VirusTotalMetricsReporter>();

        // Other components add their own checks: AddHealthChecks().AddCheck<T>("discord"), …
        services.AddHealthChecks().AddCheck<PipelineHealthCheck>("pipeline");
        return services;
    }

    public static IEndpointRouteBuilder MapSoarHttpApi(this IEndpointRouteBuilder app)
    {
        app.MapSplunkWebhookApi();
        app.MapIncidentsApi();
        app.MapHealthApi();
        app.MapMetricsApi();
        return app;
    }
}
