using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Soar.Api;
using Soar.Enrichment.VirusTotal;
using Soar.Fakes;
using Soar.Ingest.Tcp;
using Soar.Pipeline;
using Soar.Storage.Sqlite;

namespace Soar.Bench.Macro;

/// <summary>
/// End to end, as an operator sees it: the service composed as <c>soar run</c> composes it (pipeline, SQLite
/// store and outbox, VirusTotal enrichment, Discord responder, HTTP API), syslog over TCP on a free loopback
/// port, a local fake Discord and a local fake VirusTotal. For each incident (a distinct address), ten failed
/// logins go in first; then the clock starts, the eleventh (the line that crosses ssh-bruteforce's
/// "more than 10 in 60 s") is written into the socket, and the clock stops when the fake Discord receives that
/// address's card. One incident at a time. With <c>--intel cached</c> (the default) every address's VirusTotal
/// answer is already in the cache, as for an attacker seen before; <c>--intel fetch</c> asks the fake each time.
/// (<c>macro notify-latency</c> measures the response path alone, from an incident handed to the pipeline.)
/// Usage: macro socket-latency [--incidents N] [--warm-up N] [--intel cached|fetch]
/// </summary>
public static class SocketLatencyBenchmark
{
    public const string Description = "TCP line that crosses the threshold -> fake Discord card, soar run's composition, p50/p99/max";

    public sealed record Result(int Incidents, int Delivered, double[] LatenciesMs, TimeSpan Elapsed, int VirusTotalCalls)
    {
        public double Percentile(double p) =>
            LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Clamp((int)Math.Ceiling(p * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1)];
        public double Max => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1];
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var incidents = Detection.ReplayMacroBenchmark.IntArg(args, "--incidents", 1000);
        var warmUp = Detection.ReplayMacroBenchmark.IntArg(args, "--warm-up", 50);
        var intel = Detection.ReplayMacroBenchmark.Arg(args, "--intel") ?? "cached";
        if (intel is not ("cached" or "fetch"))
        {
            output.WriteLine("--intel is cached or fetch");
            return 2;
        }
        var result = await MeasureAsync(incidents, warmUp, intel == "cached");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"socket-latency: threshold-crossing line written to TCP -> fake Discord receives the card, {incidents} incidents " +
            $"one at a time after {warmUp} warm-up, VirusTotal {(intel == "cached" ? "answer cached" : "fake asked each time")}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  delivered {result.Delivered}/{result.Incidents} in {result.Elapsed.TotalSeconds:0.00} s; VirusTotal calls {result.VirusTotalCalls}"));
        if (result.Delivered == 0) return 1;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  latency ms: p50 {result.Percentile(0.5):0.00}  p90 {result.Percentile(0.9):0.00}  p99 {result.Percentile(0.99):0.00}  " +
            $"max {result.Max:0.00}  mean {result.LatenciesMs.Average():0.00}"));
        return result.Delivered == result.Incidents ? 0 : 1;
    }

    /// <summary>Engines that call each address malicious: enough for the severity policy to raise it, as for a known attacker.</summary>
    private const int Malicious = 6;

    public static async Task<Result> MeasureAsync(int incidents, int warmUp, bool cached)
    {
        await using var discord = await FakeDiscord.StartAsync();
        var cardClock = new CardClock(discord);
        // No quota: the benchmark lifts Soar's own too.
        await using var virusTotal = await FakeVirusTotalServer.StartAsync(TimeProvider.System);
        virusTotal.QuotaPerMinute = int.MaxValue;
        var dataDir = Directory.CreateTempSubdirectory("soar-bench-socket-");
        var total = warmUp + incidents;
        // Public-looking addresses: internal and documentation ranges are never sent to VirusTotal.
        var ips = Enumerable.Range(0, total).Select(i => $"11.{i >> 16 & 0xFF}.{i >> 8 & 0xFF}.{i & 0xFF}").ToArray();
        if (cached) FillVirusTotalCache(dataDir.FullName, ips);
        else foreach (var ip in ips) virusTotal.Malicious(ip, Malicious);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Http:Listen"] = "127.0.0.1:0",
            ["Ingest:Tcp:Listen"] = "127.0.0.1:0",
            ["Ingest:Udp:Listen"] = "off",
            ["Syslog:TimeZone"] = "UTC",
            ["DataDir"] = dataDir.FullName,
            ["Discord:WebhookUrl"] = discord.WebhookUrl,
            ["Discord:MaxRequestsPerWindow"] = "1000000", // our 5-per-2-s courtesy to Discord would be the only thing measured
            ["VirusTotal:ApiKey"] = FakeVirusTotalServer.ValidKey,
            ["VirusTotal:BaseUrl"] = virusTotal.BaseUrl.ToString(),
            ["VirusTotal:RequestsPerMinute"] = "1000000",
            ["VirusTotal:RequestsPerDay"] = "1000000",
        }).Build();
        var app = SoarHttpHost.Build(configuration, _ => { }, TextWriter.Null);
        var latencies = new List<double>(incidents);
        var clock = Stopwatch.StartNew();
        try
        {
            await app.StartAsync();
            var endpoint = await app.Services.GetRequiredService<TcpSyslogSource>().Listening.WaitAsync(TimeSpan.FromSeconds(10));
            var metrics = app.Services.GetRequiredService<PipelineMetrics>();
            using var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(endpoint);
            var stream = client.GetStream();
            long written = 0, pid = 10_000;

            async Task WriteAsync(string ip, int i)
            {
                // RFC 3164 with a priority, as rsyslog forwards it; a distinct user per address (no distributed incident).
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"<38>{DateTime.UtcNow:MMM dd HH:mm:ss} web-01 sshd[{pid++}]: Failed password for invalid user u{i} from {ips[i]} port {40000 + pid % 20000} ssh2\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(line));
                written++;
            }

            const int Chunk = 50;
            for (var start = 0; start < total; start += Chunk)
            {
                var end = Math.Min(total, start + Chunk);
                // Ten failures for each address of the chunk, all through detection before any clock starts.
                for (var i = start; i < end; i++)
                    for (var n = 0; n < 10; n++) await WriteAsync(ips[i], i);
                var settle = Stopwatch.StartNew();
                while (metrics.LinesProcessed < written && settle.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(1);
                for (var i = start; i < end; i++)
                {
                    var card = cardClock.CardFor(ips[i]);
                    var sent = Stopwatch.GetTimestamp();
                    await WriteAsync(ips[i], i);
                    try
                    {
                        var arrived = await card.WaitAsync(TimeSpan.FromSeconds(30));
                        if (i >= warmUp) latencies.Add(Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds);
                    }
                    catch (TimeoutException)
                    {
                        // Counted as not delivered.
                    }
                }
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dataDir.Delete(recursive: true);
        }
        latencies.Sort();
        return new Result(incidents, latencies.Count, [.. latencies], clock.Elapsed, virusTotal.Calls.Count);
    }

    /// <summary>What the cache holds for addresses looked up before: VirusTotal's JSON, fresh for a day.</summary>
    private static void FillVirusTotalCache(string dataDir, IEnumerable<string> ips)
    {
        var cache = new VirusTotalCache(new SoarDatabase(new SoarDatabaseOptions { DataDir = dataDir }, [new VirusTotalCacheMigration()]));
        var now = DateTimeOffset.UtcNow;
        foreach (var ip in ips) cache.Put(new CachedLookup(ip, true, FakeVirusTotalServer.IpObject(ip, Malicious), now, now.AddDays(1)));
    }
}
