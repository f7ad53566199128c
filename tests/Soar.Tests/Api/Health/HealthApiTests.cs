using System.Net;
using System.Text.Json;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Api.Health;

public sealed class HealthApiTests
{
    [Fact]
    public async Task HealthIsOkWhileThePipelineRunsAndNamesEachCheck()
    {
        await using var host = await SoarTestHost.StartAsync();

        var response = await host.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("pipeline").GetProperty("status").GetString());
    }

    [Fact]
    public async Task HealthIs503OnceThePipelineHasStopped()
    {
        await using var host = await SoarTestHost.StartAsync();
        await host.Get<SoarPipeline>().StopAsync();

        var response = await host.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Contains("not running", body.GetProperty("checks").GetProperty("pipeline").GetProperty("description").GetString());
    }

    [Fact]
    public async Task AnAlertArrivingWhileThePipelineStopsIsRefusedWith503()
    {
        await using var host = await SoarTestHost.StartAsync();
        await host.Get<SoarPipeline>().StopAsync();

        var response = await host.Client.PostAsync($"/webhooks/splunk/{SoarTestHost.Token}",
            new StringContent("{\"result\":{\"src_ip\":\"203.0.113.9\"}}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, host.Get<Soar.Api.Splunk.SplunkWebhookMetrics>().Unavailable);
    }
}
