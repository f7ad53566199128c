using System.Diagnostics;
using System.Globalization;
using Soar.Detection;
using Soar.Events;
using Soar.Ingest.Syslog;
using Soar.Parsing;
using Soar.Parsing.Sshd;

namespace Soar.Bench.Detection;

/// <summary>
/// <c>macro memory [--sources N]</c>: N distinct source addresses (1,000,000 by default) each make one failed
/// attempt (PAM line, Failed password, Connection closed: three lines, parsed) within 50 minutes, so all of
/// them are live in every window at once (the slow brute-force window is an hour). Prints the managed heap
/// after a full collection and the process working set with all state live, then again after the windows
/// have passed (state dropped once it can no longer fire).
/// </summary>
internal static class MemoryMacroBenchmark
{
    private static readonly string[] Users = ["root", "admin", "test", "user", "oracle", "postgres", "ubuntu", "pi", "git", "ftpuser"];

    public static Task<int> RunAsync(string[] args, TextWriter output)
    {
        var sources = ReplayMacroBenchmark.IntArg(args, "--sources", 1_000_000);
        var start = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        var parser = new AuthLogParser(new SyslogLineParser(TimeProvider.System, TimeZoneInfo.Utc), new SshdParser());
        var detector = Detector.CreateDefault();
        var changes = new List<IncidentChange>();
        var before = Measure();
        var clock = Stopwatch.StartNew();

        void Feed(string line)
        {
            if (parser.Parse(line, out var e) == LineResult.Recognised) detector.Observe(e!, changes);
            changes.Clear();
        }

        foreach (var line in Lines(sources, start)) Feed(line);
        var fed = clock.Elapsed;
        var live = Measure();
        var tracked = detector.TrackedState;

        // Two hours later, one more event: every window has passed, the state must go.
        Feed($"{start.AddHours(3):yyyy-MM-dd'T'HH:mm:ss'+00:00'} vm sshd[1]: Failed password for root from 192.0.2.1 port 1 ssh2");
        var after = Measure();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory: {sources:N0} distinct source addresses, {parser.Lines:N0} lines parsed and detected in {fed.TotalSeconds:0.0} s"));
        output.WriteLine($"  before:               heap {before.Heap,7:0} MB, working set {before.WorkingSet,7:0} MB");
        output.WriteLine($"  all live ({tracked:N0} keys and connections tracked):");
        output.WriteLine($"                        heap {live.Heap,7:0} MB, working set {live.WorkingSet,7:0} MB, peak working set {live.Peak:0} MB");
        output.WriteLine($"  after the windows ({detector.TrackedState:N0} tracked):");
        output.WriteLine($"                        heap {after.Heap,7:0} MB, working set {after.WorkingSet,7:0} MB");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  per source: {(live.Heap - before.Heap) * 1e6 / sources:0} bytes of heap; incidents: {detector.Incidents.Count()}"));
        return Task.FromResult(live.Peak < 300 ? 0 : 1);
    }

    /// <summary>
    /// One failed attempt (PAM line, Failed password, Connection closed) from each of <paramref name="sources"/> distinct
    /// addresses (every tenth IPv6), all within 50 minutes of <paramref name="start"/>: every one live in every window.
    /// </summary>
    public static IEnumerable<string> Lines(int sources, DateTimeOffset start)
    {
        var step = TimeSpan.FromMinutes(50).Ticks / sources;
        for (var i = 0; i < sources; i++)
        {
            var ip = i % 10 == 9
                ? $"2001:db8:{i >> 16:x}::{i & 0xFFFF:x}"
                : $"{10 + (i >> 24)}.{(i >> 16) & 0xFF}.{(i >> 8) & 0xFF}.{i & 0xFF}";
            var time = start.AddTicks(step * i).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
            var user = Users[i % Users.Length];
            var pid = 10_000 + i;
            yield return $"{time} vm sshd[{pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={user}";
            yield return $"{time} vm sshd[{pid}]: Failed password for {user} from {ip} port {40000 + i % 20000} ssh2";
            yield return $"{time} vm sshd[{pid}]: Connection closed by authenticating user {user} {ip} port {40000 + i % 20000} [preauth]";
        }
    }

    private static (double Heap, double WorkingSet, double Peak) Measure()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(false) / 1e6, process.WorkingSet64 / 1e6, process.PeakWorkingSet64 / 1e6);
    }
}
