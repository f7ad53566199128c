using System.Net.Sockets;
using System.Text;
using Soar.Detection;
using Soar.Events;
using Soar.Ingest.Tcp;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Pipeline;

/// <summary>A line dated years ahead (a wrong clock, a forged line) cannot move event time and end every incident.</summary>
public class FutureDatedEventTests
{
    [Fact]
    public async Task AnEventFarAheadOfTheClockIsTakenAsNowCountedAndLoggedOnceWithoutResolvingIncidents()
    {
        await using var host = await SoarTestHost.StartAsync();
        var endpoint = await host.Get<TcpSyslogSource>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
        var now = host.Time.GetUtcNow();
        var text = new StringBuilder();
        for (var i = 0; i < 11; i++) text.Append(Lines.FailedPassword(now.AddSeconds(i - 20), "203.0.113.9", port: 40000 + i)).Append('\n');
        for (var i = 0; i < 3; i++)
            text.Append($"2099-01-01T00:00:0{i}+00:00 vm sshd[{500 + i}]: Failed password for root from 203.0.113.9 port {41000 + i} ssh2\n");
        // Within the tolerance (a host whose clock runs a little fast): kept as it is.
        text.Append(Lines.FailedPassword(now.AddMinutes(2), "203.0.113.9", port: 42000)).Append('\n');
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(endpoint);
            await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
        }

        var changes = await host.WaitForChangesAsync(5);

        Assert.Equal([IncidentChangeKind.Opened, IncidentChangeKind.Updated, IncidentChangeKind.Updated, IncidentChangeKind.Updated,
            IncidentChangeKind.Updated], changes.Select(c => c.Kind));
        Assert.Equal(now, changes[3].Incident.LastSeen); // the far-future ones count, as of now
        Assert.Equal(now.AddMinutes(2), changes[4].Incident.LastSeen);
        var incident = Assert.Single(host.Get<Detector>().Incidents);
        Assert.Equal(IncidentStatus.Open, incident.Status);
        Assert.Equal(15, incident.Attempts);
        Assert.Equal(3, host.Get<PipelineMetrics>().FutureDatedEvents);
        Assert.Single(host.Logs.Messages, m => m.StartsWith("Warning") && m.Contains("ahead of the clock"));
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("\nsoar_events_future_dated_total 3\n", metrics);
    }
}
