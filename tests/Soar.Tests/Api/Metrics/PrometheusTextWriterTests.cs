using Soar.Api.Metrics;

namespace Soar.Tests.Api.Metrics;

public class PrometheusTextWriterTests
{
    private static string Write(Action<PrometheusTextWriter> write)
    {
        var text = new StringWriter();
        write(new PrometheusTextWriter(text));
        return text.ToString();
    }

    [Fact]
    public void ACounterHasHelpTypeAndItsValue()
    {
        var text = Write(w => w.Counter("soar_lines_total", "Lines read.", 42));

        Assert.Equal("# HELP soar_lines_total Lines read.\n# TYPE soar_lines_total counter\nsoar_lines_total 42\n", text);
    }

    [Fact]
    public void LabelValuesAreEscaped()
    {
        var text = Write(w =>
        {
            w.Family("soar_incidents", "gauge", "By rule.");
            w.Sample("soar_incidents", 1, ("rule", "a \"quoted\" \\ rule\nwith a newline"));
        });

        Assert.EndsWith("soar_incidents{rule=\"a \\\"quoted\\\" \\\\ rule\\nwith a newline\"} 1\n", text);
    }

    [Fact]
    public void AHistogramHasCumulativeBucketsEndingWithInfinitySumAndCount()
    {
        var histogram = new LatencyHistogram([0.1, 1]);
        histogram.Record(TimeSpan.FromMilliseconds(50));
        histogram.Record(TimeSpan.FromMilliseconds(500));
        histogram.Record(TimeSpan.FromMilliseconds(700));
        histogram.Record(TimeSpan.FromSeconds(5));

        var text = Write(w => w.Histogram("soar_latency_seconds", "Latency.", histogram.Snapshot()));

        Assert.Contains("# TYPE soar_latency_seconds histogram\n", text);
        Assert.Contains("soar_latency_seconds_bucket{le=\"0.1\"} 1\n", text);
        Assert.Contains("soar_latency_seconds_bucket{le=\"1\"} 3\n", text);
        Assert.Contains("soar_latency_seconds_bucket{le=\"+Inf\"} 4\n", text);
        Assert.Contains("soar_latency_seconds_sum 6.25\n", text);
        Assert.Contains("soar_latency_seconds_count 4\n", text);
    }

    [Theory]
    [InlineData("soar-lines")]
    [InlineData("1soar")]
    [InlineData("")]
    public void AnInvalidNameIsRefused(string name)
    {
        Assert.Throws<ArgumentException>(() => Write(w => w.Counter(name, "x", 1)));
    }
}
