using System.Diagnostics;
using Soar.Ingest.Syslog;
using Soar.Parsing;
using Soar.Parsing.Sshd;

namespace Soar.Bench.Parsing;

/// <summary>
/// Macro "parse": the corpus mix (all three formats) parsed over and over on one thread. Prints
/// lines/s by wall clock and by the thread's CPU time (the figure that holds on a busy machine),
/// and bytes allocated per line.
/// <c>dotnet run -c Release --project bench/Soar.Bench -- macro parse [--seconds 5]</c>
/// </summary>
public static class ParseThroughput
{
    public static Task<int> RunAsync(string[] args, TextWriter output)
    {
        var seconds = args.Length == 2 && args[0] == "--seconds" && double.TryParse(args[1], out var s) ? s : 5;
        var corpus = FindCorpus();
        var mix = new[] { "auth.log", "auth-rfc5424.log", "auth-iso.log" }
            .SelectMany(f => File.ReadAllLines(Path.Combine(corpus, f))).ToArray();
        var parser = new AuthLogParser(new SyslogLineParser(TimeProvider.System, TimeZoneInfo.Local), new SshdParser());

        // Warm up (tiered compilation), then measure whole rounds for the time asked.
        for (var i = 0; i < 2000; i++) foreach (var line in mix) parser.Parse(line, out _);
        parser = new AuthLogParser(new SyslogLineParser(TimeProvider.System, TimeZoneInfo.Local), new SshdParser());
        var cpuBefore = CurrentThreadCpu();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var wall = Stopwatch.StartNew();
        long lines = 0;
        while (wall.Elapsed.TotalSeconds < seconds)
        {
            foreach (var line in mix) parser.Parse(line, out _);
            lines += mix.Length;
        }
        wall.Stop();
        var cpu = CurrentThreadCpu() - cpuBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        output.WriteLine($"parse: {lines:N0} lines ({mix.Length} corpus lines per round, {parser.Recognised * 100.0 / lines:0.#} % events)");
        output.WriteLine($"  wall: {lines / wall.Elapsed.TotalSeconds:N0} lines/s ({wall.Elapsed.TotalSeconds:0.00} s)");
        output.WriteLine($"  cpu:  {lines / cpu.TotalSeconds:N0} lines/s on one core ({cpu.TotalSeconds:0.00} s of thread CPU time)");
        output.WriteLine($"  allocated: {allocated / (double)lines:0.0} bytes/line on average " +
                         $"({allocated / (double)parser.Recognised:0.0} bytes per event)");
        return Task.FromResult(0);
    }

    // This thread's CPU time, from /proc (Linux); elsewhere the process's.
    private static TimeSpan CurrentThreadCpu()
    {
        const string Path = "/proc/thread-self/stat";
        if (!File.Exists(Path)) return Process.GetCurrentProcess().TotalProcessorTime;
        var stat = File.ReadAllText(Path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of stat, in clock ticks (USER_HZ, 100 on Linux).
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static string FindCorpus()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "corpus", "openssh-9.2-lab");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/corpus/openssh-9.2-lab");
    }
}
