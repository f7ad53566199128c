using System.Diagnostics;
using System.Globalization;

namespace Soar.Bench.Macro.Suite;

/// <summary>What a separate process cost: wall time, CPU time (user + system) and peak resident memory.</summary>
public sealed record Measured(string Command, int ExitCode, bool TimedOut, TimeSpan Wall, TimeSpan? Cpu, double? PeakRssMb,
    string StdoutPath, string StderrPath)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}

/// <summary>
/// Runs a command as its own process under GNU time (<c>/usr/bin/time -v</c>, Debian package <c>time</c>), so that
/// its peak RSS and CPU time are its own, not the benchmark's. Without GNU time only the wall time is known.
/// Standard output and error go to files in the work directory.
/// </summary>
public static class TimedProcess
{
    public const string GnuTime = "/usr/bin/time";

    public static bool HasGnuTime => File.Exists(GnuTime);

    public static async Task<Measured> RunAsync(string name, string file, IReadOnlyList<string> args, string workDir, TimeSpan timeout)
    {
        var timeFile = Path.Combine(workDir, name + ".time");
        var stdoutPath = Path.Combine(workDir, name + ".stdout");
        var stderrPath = Path.Combine(workDir, name + ".stderr");
        var start = new ProcessStartInfo(HasGnuTime ? GnuTime : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir,
        };
        if (HasGnuTime)
        {
            foreach (var a in new[] { "-v", "-o", timeFile, file }) start.ArgumentList.Add(a);
        }
        foreach (var a in args) start.ArgumentList.Add(a);

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        await using (var stdout = File.Create(stdoutPath))
        await using (var stderr = File.Create(stderrPath))
        {
            var copies = Task.WhenAll(process.StandardOutput.BaseStream.CopyToAsync(stdout),
                process.StandardError.BaseStream.CopyToAsync(stderr));
            var timedOut = false;
            using (var deadline = new CancellationTokenSource(timeout))
            {
                try
                {
                    await process.WaitForExitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    timedOut = true;
                    process.Kill(entireProcessTree: true); // our own child and its child, nothing else
                    await process.WaitForExitAsync();
                }
            }
            await copies;
            var wall = clock.Elapsed;
            var command = (HasGnuTime ? GnuTime + " -v " : "") + string.Join(' ', new[] { file }.Concat(args).Select(a => a.Contains(' ') ? $"'{a}'" : a));
            if (!HasGnuTime || !File.Exists(timeFile))
                return new Measured(command, process.ExitCode, timedOut, wall, null, null, stdoutPath, stderrPath);
            var report = ParseGnuTime(File.ReadAllLines(timeFile));
            // Our clock for the wall time: time's has 10 ms steps.
            return new Measured(command, process.ExitCode, timedOut, wall, report.Cpu, report.PeakRssMb, stdoutPath, stderrPath);
        }
    }

    /// <summary>
    /// Runs a command (Linux) until it exits or writes <paramref name="doneMarker"/> to standard error, then stops it:
    /// for a program that goes on with work that is not the work measured. Wall time to the marker; CPU time and peak
    /// RSS (VmHWM) read from /proc at that moment. Exit code 0 when the marker was seen.
    /// </summary>
    public static async Task<Measured> RunUntilAsync(string name, string file, IReadOnlyList<string> args, string workDir, TimeSpan timeout,
        string doneMarker)
    {
        var stdoutPath = Path.Combine(workDir, name + ".stdout");
        var stderrPath = Path.Combine(workDir, name + ".stderr");
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workDir };
        foreach (var a in args) start.ArgumentList.Add(a);
        var command = string.Join(' ', new[] { file }.Concat(args)) + $" (stopped at \"{doneMarker}\")";

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var pid = process.Id;
        (TimeSpan Wall, TimeSpan? Cpu, double? Rss)? atMarker = null, sampled = null;
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var stdout = File.Create(stdoutPath))
        await using (var stderr = new StreamWriter(stderrPath))
        {
            var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            var copyErr = Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync() is { } line)
                {
                    if (atMarker is null && line.Contains(doneMarker, StringComparison.Ordinal))
                    {
                        atMarker = (clock.Elapsed, ProcCpu(pid), ProcPeakRss(pid));
                        marker.TrySetResult();
                    }
                    await stderr.WriteLineAsync(line);
                }
            });
            var exited = process.WaitForExitAsync();
            while (!marker.Task.IsCompleted && !exited.IsCompleted && clock.Elapsed < timeout)
            {
                await Task.WhenAny(marker.Task, exited, Task.Delay(500));
                // Sampled as it runs, in case it exits without the marker.
                if (!process.HasExited) sampled = (clock.Elapsed, ProcCpu(pid) ?? sampled?.Cpu, ProcPeakRss(pid) ?? sampled?.Rss);
            }
            var seen = marker.Task.IsCompleted;
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // our own child: its remaining work is not measured
                await process.WaitForExitAsync();
            }
            await Task.WhenAll(copyOut, copyErr);
            var (wall, cpu, rss) = atMarker ?? sampled ?? (clock.Elapsed, null, null);
            return new Measured(command, seen ? 0 : process.ExitCode == 0 ? 1 : process.ExitCode, !seen && clock.Elapsed >= timeout,
                wall, cpu, rss, stdoutPath, stderrPath);
        }
    }

    /// <summary>utime + stime of a live process, from /proc/PID/stat (fields 14 and 15, in 1/100 s).</summary>
    private static TimeSpan? ProcCpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The peak resident set (VmHWM) of a live process, in MB.</summary>
    private static double? ProcPeakRss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024 / 1e6;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Reads <c>time -v</c>'s report: user and system seconds, max RSS in KiB.</summary>
    internal static (TimeSpan? Cpu, double? PeakRssMb) ParseGnuTime(IEnumerable<string> lines)
    {
        double user = double.NaN, system = double.NaN;
        double? rss = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            var value = line[(line.LastIndexOf(": ", StringComparison.Ordinal) + 2)..];
            if (line.StartsWith("User time (seconds)", StringComparison.Ordinal)) user = double.Parse(value, CultureInfo.InvariantCulture);
            else if (line.StartsWith("System time (seconds)", StringComparison.Ordinal)) system = double.Parse(value, CultureInfo.InvariantCulture);
            else if (line.StartsWith("Maximum resident set size (kbytes)", StringComparison.Ordinal))
                rss = long.Parse(value, CultureInfo.InvariantCulture) * 1024 / 1e6;
        }
        return (double.IsNaN(user + system) ? null : TimeSpan.FromSeconds(user + system), rss);
    }
}
