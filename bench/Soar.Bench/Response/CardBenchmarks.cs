using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Soar.Enrichment;
using Soar.Events;
using Soar.Response.Discord;
using Soar.Response.Outbox;

namespace Soar.Bench.Response;

/// <summary>
/// Card formatting for one brute-force incident with two findings, 15 targeted users (some of them
/// attacker text to escape), three hosts and a VirusTotal verdict: the Discord embed built and
/// serialised to the JSON body that is posted, and the console card with colour.
/// <c>dotnet run -c Release --project bench/Soar.Bench -- --filter '*CardBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class CardBenchmarks
{
    private Notification _notification = null!;
    private IncidentChange _change = null!;
    private readonly DateTimeOffset _now = new(2026, 11, 26, 14, 5, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);
        var incident = new Incident
        {
            Id = 4711,
            Key = IncidentKey.SourceIp("203.0.113.45"),
            Status = IncidentStatus.Open,
            Findings =
            [
                new Finding("ssh-bruteforce", "SSH brute force", Severity.High, 27, start, start.AddSeconds(48), "27 failures by src_ip in 60 s (more than 10)"),
                new Finding("ssh-password-spray", "SSH password spraying", Severity.High, 15, start, start.AddMinutes(4), "15 distinct users by src_ip in 10 min (at least 5)"),
            ],
            Users = ["root", "admin", "test", "ubuntu", "oracle", "postgres", "pi", "git", "**bold**", "@everyone", "deploy",
                "guest", "[x](http://evil)", "ftpuser", "jenkins"],
            Hosts = ["web-01", "web-02", "bastion"],
            Attempts = 42,
            FirstSeen = start,
            LastSeen = start.AddMinutes(4),
            OpenedAt = start.AddSeconds(11),
        };
        var intel = new IntelReport
        {
            Ip = "203.0.113.45", Status = IntelStatus.Found, Malicious = 6, Suspicious = 1, Harmless = 58, Undetected = 29,
            Reputation = -14, Asn = 64500, AsOwner = "Example Hosting Ltd", Country = "NL", BlocklistHits = ["firehol_level1"],
        };
        _notification = new Notification(1, IncidentChangeKind.Opened, incident, "src_ip=203.0.113.45", 1, start.AddSeconds(11), intel,
            new SeverityAssessment(Severity.Critical, "critical: SSH brute force is high, raised one level: VirusTotal: 6 engines say malicious"));
        _change = new IncidentChange(IncidentChangeKind.Opened, incident);
    }

    /// <summary>The embed built (escaping, limits) and serialised as the webhook body.</summary>
    [Benchmark(Baseline = true)]
    public byte[] DiscordEmbedJson() =>
        JsonSerializer.SerializeToUtf8Bytes(IncidentCard.Build(_notification, _now), JsonSerializerOptions.Web);

    [Benchmark]
    public DiscordMessage DiscordEmbedOnly() => IncidentCard.Build(_notification, _now);

    [Benchmark]
    public string ConsoleCard() => Soar.Response.Console.ConsoleCard.Format(_change, colour: true);
}
