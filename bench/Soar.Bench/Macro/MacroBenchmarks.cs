namespace Soar.Bench.Macro;

/// <summary>
/// Whole-pipeline measurements that print figures (lines/s, messages/s, latency percentiles,
/// peak memory). Each registers here under a name.
/// </summary>
public static class MacroBenchmarks
{
    private static readonly Dictionary<string, (string Description, Func<string[], TextWriter, Task<int>> Run)> All = new()
    {
        ["notify-latency"] = ("incident open -> fake Discord POST, p50/p99/max", NotifyLatencyBenchmark.RunAsync),
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
