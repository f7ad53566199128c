using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Soar.Api;
using Soar.Storage;

namespace Soar.Bench.Macro;

/// <summary>
/// Splunk alerts posted to the real HTTP host over loopback by concurrent clients: accepted
/// alerts per second, request latency percentiles, and the time until the last one is an incident.
/// Options: [alerts=20000] [clients=8] [addresses=1000].
/// </summary>
public static class WebhookMacroBenchmark
{
    private const string Token = "bench-token-0123456789abcdef";
    private const int WarmUp = 200;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var alerts = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var addresses = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000;

        var dataDir = Directory.CreateTempSubdirectory("soar-bench-webhook-");
        using var cleanup = new DeleteOnDispose(dataDir);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Http:Listen"] = "127.0.0.1:0",
            ["Ingest:Tcp:Listen"] = "127.0.0.1:0",
            ["Syslog:TimeZone"] = "UTC",
            ["Splunk:WebhookToken"] = Token,
            ["DataDir"] = dataDir.FullName,
        }).Build();
        await using var app = SoarHttpHost.Build(configuration, _ => { }, TextWriter.Null);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(SoarHttpHost.ListeningAddresses(app).Single()) };
        var store = app.Services.GetRequiredService<IIncidentQueries>();

        // Warm-up: JIT and connections, on addresses outside the measured set.
        for (var i = 0; i < WarmUp; i++) await PostAsync(http, $"198.18.0.{i}");

        var latencies = new double[alerts];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < alerts)
            {
                var started = Stopwatch.GetTimestamp();
                await PostAsync(http, $"10.{n % addresses / 65536}.{n % addresses / 256 % 256}.{n % addresses % 256}");
                latencies[n] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        var posted = clock.Elapsed;
        // One incident per address, the warm-up's included; later alerts for an address update it.
        var expected = WarmUp + Math.Min(addresses, alerts);
        while (store.List(new IncidentFilter { Offset = expected - 1, Limit = 1 }).Count == 0
               && clock.Elapsed < TimeSpan.FromMinutes(2))
            await Task.Delay(5);
        var done = clock.Elapsed;
        await app.StopAsync();

        Array.Sort(latencies);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"webhook: {alerts} alerts from {clients} clients over loopback, {addresses} distinct addresses"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  accepted   {alerts / posted.TotalSeconds:N0} alerts/s ({posted.TotalSeconds:0.00} s)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  latency    p50 {Percentile(latencies, 0.50):0.00} ms, p99 {Percentile(latencies, 0.99):0.00} ms, max {latencies[^1]:0.00} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  incidents  {expected} (warm-up included) queryable after {done.TotalSeconds:0.00} s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  memory     peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB"));
        return 0;
    }

    private static async Task PostAsync(HttpClient http, string ip)
    {
        var body = $$"""{"result":{"src_ip":"{{ip}}","host":"web01","failures":"27","users":"root,admin"},"sid":"scheduler__admin__search__RMD5_at_1767225600_42","search_name":"SSH brute force by source IP","owner":"admin","app":"search"}""";
        using var response = await http.PostAsync($"/webhooks/splunk/{Token}", new StringContent(body, Encoding.UTF8, "application/json"));
        if ((int)response.StatusCode != 202) throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private sealed class DeleteOnDispose(DirectoryInfo directory) : IDisposable
    {
        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
