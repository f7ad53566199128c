using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Soar.Api.Metrics;

/// <summary><c>GET /metrics</c>: every <see cref="IMetricsReporter"/>, in the Prometheus text format.</summary>
public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (IEnumerable<IMetricsReporter> reporters) =>
        {
            var text = new StringWriter { NewLine = "\n" };
            var writer = new PrometheusTextWriter(text);
            foreach (var reporter in reporters) reporter.Report(writer);
            return Results.Text(text.ToString(), PrometheusTextWriter.ContentType);
        });
        return app;
    }
}
