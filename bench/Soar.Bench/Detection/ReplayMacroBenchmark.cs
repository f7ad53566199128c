using System.Diagnostics;
using System.Globalization;
using Soar.Cli;

namespace Soar.Bench.Detection;

/// <summary>
/// <c>macro replay [--lines N] [--file PATH] [--runs N]</c>: <c>soar replay</c> itself (read + parse + every
/// rule + incidents), end to end through the command line, on a mixed auth.log of N lines (1,000,000 by
/// default, generated once with a fixed seed) or on a given file. Prints lines/s per run.
/// </summary>
internal static class ReplayMacroBenchmark
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var lines = IntArg(args, "--lines", 1_000_000);
        var runs = IntArg(args, "--runs", 3);
        var file = Arg(args, "--file");
        var generated = file is null;
        if (file is null)
        {
            file = Path.Combine(Path.GetTempPath(), $"soar-bench-mixed-{lines}.log");
            if (!File.Exists(file))
            {
                var generate = Stopwatch.StartNew();
                MixedAuthLog.Write(file + ".tmp", lines);
                File.Move(file + ".tmp", file, overwrite: true);
                output.WriteLine($"generated {file} ({new FileInfo(file).Length / 1e6:0.0} MB) in {generate.Elapsed.TotalSeconds:0.0} s");
            }
        }
        output.WriteLine($"replay: {file}, {runs} runs of: soar replay --json --time-zone UTC FILE");
        var rates = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var stderr = new StringWriter();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var exit = await SoarCommandLine.InvokeAsync(["replay", "--json", "--time-zone", "UTC", file], TextWriter.Null, stderr);
            var seconds = clock.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            if (exit != 0)
            {
                output.WriteLine($"replay failed ({exit}): {stderr}");
                return 1;
            }
            var summary = stderr.ToString().Trim().Split('\n')[0];
            var counted = long.Parse(summary.Split(' ')[2], CultureInfo.InvariantCulture);
            rates.Add(counted / seconds);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {run}: {counted:N0} lines in {seconds:0.000} s = {counted / seconds:N0} lines/s (wall, incl. command start); " +
                $"{cpuSeconds:0.000} s CPU = {counted / cpuSeconds:N0} lines per CPU second"));
            output.WriteLine($"         {summary}");
        }
        // The parser's share: the same read and parse without detection.
        var parseCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var parseClock = Stopwatch.StartNew();
        var parser = new Soar.Parsing.AuthLogParser(new Soar.Ingest.Syslog.SyslogLineParser(TimeProvider.System, TimeZoneInfo.Utc),
            new Soar.Parsing.Sshd.SshdParser());
        using (var reader = Soar.Ingest.File.LogFileReader.Open(file))
            foreach (var line in Soar.Ingest.File.LogFileReader.Lines(reader)) parser.Parse(line, out _);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  read + parse only: {parser.Lines / parseClock.Elapsed.TotalSeconds:N0} lines/s wall, " +
            $"{parser.Lines / (Process.GetCurrentProcess().TotalProcessorTime - parseCpu).TotalSeconds:N0} lines per CPU second"));
        // Detection's share: the recognised events, parsed beforehand, through every rule (best of 3).
        var events = new List<Soar.Events.AuthEvent>();
        using (var reader = Soar.Ingest.File.LogFileReader.Open(file))
            foreach (var line in Soar.Ingest.File.LogFileReader.Lines(reader))
                if (parser.Parse(line, out var e) == Soar.Parsing.LineResult.Recognised) events.Add(e!);
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var detector = Soar.Detection.Detector.CreateDefault();
            var changes = new List<Soar.Events.IncidentChange>();
            var detectCpu = Process.GetCurrentProcess().TotalProcessorTime;
            foreach (var e in events)
            {
                detector.Observe(e, changes);
                changes.Clear();
            }
            best = Math.Min(best, (Process.GetCurrentProcess().TotalProcessorTime - detectCpu).TotalSeconds);
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  detection only: {events.Count:N0} events in {best:0.000} s CPU = {events.Count / best:N0} events per CPU second"));
        rates.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay: median {rates[rates.Count / 2]:N0} lines/s, best {rates[^1]:N0} lines/s; peak working set {Environment.WorkingSet / 1e6:0} MB" +
            $" (process now), {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB peak"));
        if (generated) output.WriteLine($"(the generated file stays at {file} for comparisons, e.g. fail2ban-regex)");
        return 0;
    }

    internal static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static int IntArg(string[] args, string name, int fallback) =>
        Arg(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
