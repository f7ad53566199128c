using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Soar.Enrichment;
using Soar.Enrichment.Local;
using Soar.Enrichment.VirusTotal;
using Soar.Events;
using Soar.Fakes;

namespace Soar.Bench.Macro;

/// <summary>
/// Enrichment costs: blocklist load and lookup rate on a large list; lookups served from the
/// SQLite cache; and lookups through the real client, queue and quota to a local fake
/// VirusTotal over loopback HTTP (budget raised so that the quota does not set the pace).
/// Usage: macro enrichment [ranges=100000] [lookups=20000]
/// </summary>
public static class EnrichmentBenchmark
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var ranges = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var lookups = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        var dir = Directory.CreateTempSubdirectory("soar-bench-enrich-").FullName;
        try
        {
            Blocklists(dir, ranges, output);
            await CacheAndClientAsync(dir, lookups, output);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
        return 0;
    }

    private static void Blocklists(string dir, int ranges, TextWriter output)
    {
        var random = new Random(42);
        var path = Path.Combine(dir, "big.netset");
        using (var writer = new StreamWriter(path))
        {
            writer.WriteLine("# synthetic FireHOL-style list");
            for (var i = 0; i < ranges; i++)
            {
                var prefix = random.Next(4) == 0 ? random.Next(16, 29) : 32;
                writer.WriteLine($"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}/{prefix}");
            }
        }
        var clock = Stopwatch.StartNew();
        using var lists = new LocalBlocklists(new BlocklistOptions { Files = [path] }, TimeProvider.System, NullLogger<LocalBlocklists>.Instance);
        var load = clock.Elapsed;

        const int probes = 2_000_000;
        var addresses = Enumerable.Range(0, 4096).Select(_ => new IPAddress((uint)random.Next())).ToArray();
        var hits = 0;
        clock.Restart();
        for (var i = 0; i < probes; i++) hits += lists.Match(addresses[i & 4095]).Count;
        var match = clock.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"blocklist  {ranges} entries -> {lists.Lists[0].Ranges.Count} ranges, loaded in {load.TotalMilliseconds:0} ms; " +
            $"{probes / match.TotalSeconds / 1e6:0.0} M lookups/s ({match.TotalNanoseconds / probes:0} ns each, {hits * 100.0 / probes:0.0}% hits)"));
    }

    private static async Task CacheAndClientAsync(string dir, int lookups, TextWriter output)
    {
        // The local fake VirusTotal of the tests, every address found; its quota lifted like Soar's budget.
        await using var virusTotal = await FakeVirusTotalServer.StartAsync(TimeProvider.System);
        virusTotal.QuotaPerMinute = int.MaxValue;

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VirusTotal:ApiKey"] = FakeVirusTotalServer.ValidKey,
            ["VirusTotal:BaseUrl"] = virusTotal.BaseUrl.ToString(),
            ["VirusTotal:RequestsPerMinute"] = "1000000",
            ["VirusTotal:RequestsPerDay"] = "1000000",
            ["DataDir"] = dir,
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddSoarEnrichment(configuration).BuildServiceProvider();
        var intel = services.GetRequiredService<IThreatIntel>();

        const int distinct = 500;
        var ips = Enumerable.Range(0, distinct).Select(i => $"45.{i / 250}.{i % 250}.9").ToArray();
        var clock = Stopwatch.StartNew();
        var fetched = await Task.WhenAll(ips.Select(ip => intel.LookupAsync(ip, Severity.High, TimeSpan.FromMinutes(1), CancellationToken.None).AsTask()));
        var fetch = clock.Elapsed;
        if (fetched.Any(r => r.Status != IntelStatus.Found)) throw new InvalidOperationException("a fetch failed");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fetch      {distinct} addresses through client, queue, quota and cache to a loopback fake: {fetch.TotalMilliseconds:0} ms, {distinct / fetch.TotalSeconds:0} lookups/s"));

        var latencies = new double[lookups];
        clock.Restart();
        for (var i = 0; i < lookups; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var report = await intel.LookupAsync(ips[i % distinct], Severity.High, TimeSpan.Zero, CancellationToken.None);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (!report.FromCache) throw new InvalidOperationException("expected a cache hit");
        }
        var cached = clock.Elapsed;
        Array.Sort(latencies);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cache hit  {lookups} lookups from SQLite: {lookups / cached.TotalSeconds:0} lookups/s, " +
            $"p50 {latencies[lookups / 2]:0} us, p99 {latencies[lookups * 99 / 100]:0} us, max {latencies[^1]:0} us"));
    }
}
