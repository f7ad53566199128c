namespace Soar.Bench.Macro;

/// <summary>
/// Whole-pipeline measurements that print figures (lines/s, messages/s, latency percentiles,
/// peak memory). Each registers here under a name.
/// </summary>
public static class MacroBenchmarks
{
    private static readonly Dictionary<string, (string Description, Func<string[], TextWriter, Task<int>> Run)> All = new()
    {
        ["simulate"] = ("soar simulate's bench profile to a file and over TCP loopback [--lines N]", Simulation.SimulateMacroBenchmark.RunAsync),
        ["enrichment"] = ("blocklist lookups, VirusTotal cache hits and fetches [ranges] [lookups]", EnrichmentBenchmark.RunAsync),
        ["tcp-ingest"] = (TcpIngestBenchmark.Description, TcpIngestBenchmark.RunAsync),
        ["webhook"] = ("Splunk alerts posted to the HTTP host: alerts/s, latency, time to incident", WebhookMacroBenchmark.RunAsync),
        ["replay"] = ("soar replay on a 1,000,000-line mixed auth.log: lines/s", Detection.ReplayMacroBenchmark.RunAsync),
        ["memory"] = ("detection state for 1,000,000 distinct source IPs: heap and working set", Detection.MemoryMacroBenchmark.RunAsync),
        ["parse"] = ("corpus lines parsed on one thread: lines/s (wall, CPU), bytes/line", Parsing.ParseThroughput.RunAsync),
        ["notify-latency"] = ("response path alone: incident handed to the pipeline -> fake Discord POST, p50/p99/max", NotifyLatencyBenchmark.RunAsync),
        ["suite"] = (Suite.SuiteBenchmark.Description, Suite.SuiteBenchmark.RunAsync),
        ["socket-latency"] = (SocketLatencyBenchmark.Description, SocketLatencyBenchmark.RunAsync),
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (args.Length == 0 || !All.TryGetValue(args[0], out var benchmark))
        {
            output.WriteLine("usage: macro <name> [options]; names:");
            foreach (var (name, (description, _)) in All) output.WriteLine($"  {name,-16} {description}");
            return args.Length == 0 ? 0 : 2;
        }
        return await benchmark.Run(args[1..], output);
    }
}
