using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Soar.Api.Metrics;
using Soar.Detection;
using Soar.Enrichment;
using Soar.Events;
using Soar.Ingest.Tcp;
using Soar.Pipeline;
using Soar.Tests.Enrichment.VirusTotal;
using Soar.Tests.Response.Discord;
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
        Assert.DoesNotContain("soar_incidents_opened_total", metrics); // one family for openings: soar_incidents_total
        Assert.Equal(1, Value(metrics, "soar_incidents_total{rule=\"ssh-bruteforce\",severity=\"high\"}"));
        Assert.Equal(1, Value(metrics, "soar_incidents_total{rule=\"SSH spraying\",severity=\"critical\"}"));
        Assert.Equal(1, Value(metrics, "soar_incident_changes_total{change=\"updated\"}"));
        Assert.Equal(1, Value(metrics, "soar_splunk_webhook_requests_total{outcome=\"accepted\"}"));
        Assert.Equal(1, Value(metrics, "soar_splunk_webhook_requests_total{outcome=\"unauthorized\"}"));
    }

    [Fact]
    public async Task TheOutboxBacklogFailedAttemptsLatencyAndVirusTotalQuotaAreScraped()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.FailNext = 1; // the first card meets an outage
        await using var virusTotal = await FakeVirusTotalServer.StartAsync(TimeProvider.System);
        virusTotal.Malicious("45.1.2.3", 9);
        await using var host = await SoarTestHost.StartAsync(settings: new()
        {
            ["Discord:WebhookUrl"] = discord.WebhookUrl,
            ["VirusTotal:ApiKey"] = FakeVirusTotalServer.ValidKey,
            ["VirusTotal:BaseUrl"] = virusTotal.BaseUrl.ToString(),
            ["Response:InitialBackoff"] = "00:00:05",
            ["Response:MaxBackoff"] = "00:00:05",
        });
        var at = host.Time.GetUtcNow();
        await host.Get<SoarPipeline>().SubmitAlertAsync(new RuleMatch("ssh-bruteforce", "SSH brute force", Severity.High,
            IncidentKey.SourceIp("45.1.2.3"), 11, at, at, ["root"], ["web01"], "more than 10"), CancellationToken.None);
        async Task<string> ScrapeUntilAsync(string sample)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            string text;
            do text = await host.Client.GetStringAsync("/metrics");
            while (!text.Contains(sample + "\n") && DateTime.UtcNow < deadline);
            return text;
        }

        // Discord is out: its cards wait (the opening, and the escalation VirusTotal's nine verdicts caused).
        await ScrapeUntilAsync("soar_responder_failures_total{responder=\"discord\",reason=\"server_error\"} 1");
        host.Time.Advance(TimeSpan.FromSeconds(3));
        var during = await host.Client.GetStringAsync("/metrics");
        Assert.Equal(2, Value(during, "soar_outbox_pending{responder=\"discord\"}"));
        Assert.Equal(3, Value(during, "soar_outbox_oldest_pending_age_seconds{responder=\"discord\"}"));
        Assert.Equal(1, Value(during, "soar_responder_failures_total{responder=\"discord\",reason=\"server_error\"}"));

        host.Time.Advance(TimeSpan.FromSeconds(5)); // past the backoff: both cards go out, 8 s after the change
        await ScrapeUntilAsync("soar_notifications_delivered_total{responder=\"discord\"} 2");
        await host.Get<IThreatIntel>().LookupAsync("45.1.2.3", Severity.High, TimeSpan.Zero, CancellationToken.None); // cached now
        var metrics = await host.Client.GetStringAsync("/metrics");

        Assert.Equal(0, Value(metrics, "soar_outbox_pending{responder=\"discord\"}"));
        Assert.Equal(0, Value(metrics, "soar_outbox_oldest_pending_age_seconds{responder=\"discord\"}"));
        Assert.Equal(2, Value(metrics, "soar_notifications_delivered_total{responder=\"discord\"}"));
        Assert.Equal(2, Value(metrics, "soar_notifications_delivered_total{responder=\"console\"}"));
        Assert.Equal(0, Value(metrics, "soar_notifications_failed_total{responder=\"discord\"}"));
        Assert.Equal(1, Value(metrics, "soar_responder_failures_total{responder=\"discord\",reason=\"server_error\"}"));
        Assert.Equal(0, Value(metrics, "soar_responder_failures_total{responder=\"discord\",reason=\"rate_limited\"}"));
        Assert.Equal(0, Value(metrics, "soar_notification_latency_seconds_bucket{responder=\"discord\",le=\"5\"}"));
        Assert.Equal(2, Value(metrics, "soar_notification_latency_seconds_bucket{responder=\"discord\",le=\"10\"}"));
        Assert.Equal(2, Value(metrics, "soar_notification_latency_seconds_count{responder=\"discord\"}"));
        Assert.Equal(16, Value(metrics, "soar_notification_latency_seconds_sum{responder=\"discord\"}"));
        Assert.Equal(1, Value(metrics, "soar_incident_changes_total{change=\"escalated\"}"));
        Assert.Equal(1, Value(metrics, "soar_virustotal_requests{window=\"minute\"}")); // concurrent lookups share one call
        Assert.Equal(1, Value(metrics, "soar_virustotal_requests{window=\"day\"}"));
        Assert.Equal(3, Value(metrics, "soar_virustotal_requests_remaining{window=\"minute\"}"));
        Assert.Equal(499, Value(metrics, "soar_virustotal_requests_remaining{window=\"day\"}"));
        Assert.True(Value(metrics, "soar_virustotal_cache_lookups_total{result=\"hit\"}") >= 1);
        Assert.True(Value(metrics, "soar_virustotal_cache_lookups_total{result=\"miss\"}") >= 1);
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
