using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Soar.Detection;
using Soar.Enrichment;
using Soar.Events;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Api.Incidents;

/// <summary>A severity raised by threat intel is the incident's severity everywhere: stored, listed, filtered.</summary>
public sealed class IntelSeverityApiTests
{
    /// <summary>Every address is known to nine engines as malicious.</summary>
    private sealed class MaliciousIntel : IThreatIntel
    {
        public event EventHandler<IntelReport>? ReportReady { add { } remove { } }

        public ValueTask<IntelReport> LookupAsync(string ip, Severity priority, TimeSpan wait, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new IntelReport { Ip = ip, Status = IntelStatus.Found, Malicious = 9, Harmless = 60 });
    }

    [Fact]
    public async Task TheApiShowsTheRaisedSeverityWhyAndTheEscalation()
    {
        await using var host = await SoarTestHost.StartAsync(configure: s => s.AddSingleton<IThreatIntel>(new MaliciousIntel()));
        var at = host.Time.GetUtcNow();
        await host.Get<SoarPipeline>().SubmitAlertAsync(new RuleMatch("ssh-bruteforce", "SSH brute force", Severity.High,
            IncidentKey.SourceIp("203.0.113.5"), 11, at, at, ["root"], ["web01"], "more than 10"), CancellationToken.None);

        // The console card's delivery looks the address up, and the policy raises high to critical.
        JsonElement page;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do page = JsonDocument.Parse(await host.Client.GetStringAsync("/api/incidents?severity=critical")).RootElement;
        while (page.GetProperty("incidents").GetArrayLength() == 0 && DateTime.UtcNow < deadline);

        var incident = Assert.Single(page.GetProperty("incidents").EnumerateArray());
        Assert.Equal("critical", incident.GetProperty("severity").GetString());
        Assert.Equal("high", incident.GetProperty("detected_severity").GetString());
        Assert.Equal("critical: SSH brute force is high, raised one level: VirusTotal: 9 engines say malicious",
            incident.GetProperty("severity_reason").GetString());
        var detail = JsonDocument.Parse(await host.Client.GetStringAsync("/api/incidents/1")).RootElement;
        Assert.Single(detail.GetProperty("audit").EnumerateArray(), a => a.GetProperty("change").GetString() == "escalated");
        Assert.Empty(JsonDocument.Parse(await host.Client.GetStringAsync("/api/incidents?severity=high")).RootElement
            .GetProperty("incidents").EnumerateArray());
    }
}
