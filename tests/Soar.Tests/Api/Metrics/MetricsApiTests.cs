using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Soar.Api.Metrics;
using Soar.Ingest.Tcp;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Api.Metrics;

/// <summary>GET /metrics on the real host, after real traffic.</summary>
public sealed class MetricsApiTests
{
    private static double Value(string metrics, string sample)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(sample + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no sample '{sample}' in:\n{metrics}");
        return double.Parse(line[(sample.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task MetricsCountEventsByKindParseFailuresIncidentsAndWebhookOutcomes()
    {
        await using var host = await SoarTestHost.StartAsync();
        var endpoint = await host.Get<TcpSyslogSource>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        var now = host.Time.GetUtcNow();
        var text = new StringBuilder();
        for (var i = 0; i < 12; i++) text.Append(Lines.FailedPassword(now.AddSeconds(i), "203.0.113.9")).Append('\n');
        text.Append(Lines.Sshd(now, "Invalid user bob from 203.0.113.9 port 4000")).Append('\n');
        text.Append("\0\u0001\u0002\n");
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(endpoint);
            await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (host.Get<PipelineMetrics>().LinesProcessed < 14 && DateTime.UtcNow < deadline) await Task.Delay(10);
        await host.Client.PostAsync($"/webhooks/splunk/{SoarTestHost.Token}",
            new StringContent("{\"result\":{\"src_ip\":\"198.51.100.7\",\"severity\":\"critical\"},\"search_name\":\"SSH spraying\"}"));
        await host.Client.PostAsync("/webhooks/splunk/wrong-token-0123456789", new StringContent("{}"));
        await host.WaitForChangesAsync(3); // opened and updated by the 12th failure; opened by the alert

        var response = await host.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("version=0.0.4", response.Content.Headers.ContentType?.ToString());
        var metrics = await response.Content.ReadAsStringAsync();
        Assert.Equal(14, Value(metrics, "soar_lines_processed_total"));
        Assert.Equal(12, Value(metrics, "soar_events_total{kind=\"failed_password\"}"));
        Assert.Equal(1, Value(metrics, "soar_events_total{kind=\"invalid_user\"}"));
        Assert.Equal(0, Value(metrics, "soar_events_total{kind=\"accepted_publickey\"}"));
        Assert.True(Value(metrics, "soar_parse_failures_total") >= 1);
        Assert.Equal(2, Value(metrics, "soar_incidents_opened_total"));
        Assert.Equal(1, Value(metrics, "soar_incidents_total{rule=\"ssh-bruteforce\",severity=\"high\"}"));
        Assert.Equal(1, Value(metrics, "soar_incidents_total{rule=\"SSH spraying\",severity=\"critical\"}"));
        Assert.Equal(1, Value(metrics, "soar_incident_changes_total{change=\"updated\"}"));
        Assert.Equal(1, Value(metrics, "soar_splunk_webhook_requests_total{outcome=\"accepted\"}"));
        Assert.Equal(1, Value(metrics, "soar_splunk_webhook_requests_total{outcome=\"unauthorized\"}"));
        Assert.Equal(0, Value(metrics, "soar_notification_latency_seconds_count"));
    }

    [Fact]
    public async Task AComponentsReporterAppearsInTheMetrics()
    {
        await using var host = await SoarTestHost.StartAsync(
            configure: services => services.AddSingleton<IMetricsReporter>(new BacklogReporter(7)));

        var metrics = await host.Client.GetStringAsync("/metrics");

        Assert.Equal(7, Value(metrics, "soar_outbox_backlog"));
    }

    private sealed class BacklogReporter(int backlog) : IMetricsReporter
    {
        public void Report(PrometheusTextWriter metrics) => metrics.Gauge("soar_outbox_backlog", "Notifications waiting.", backlog);
    }
}
