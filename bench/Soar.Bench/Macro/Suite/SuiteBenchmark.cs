using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Soar.Bench.Macro.Suite;

/// <summary>
/// <c>macro suite</c>: issue #9's table in one command. (1) <c>soar replay</c> of a 1,000,000-line mixed log from
/// <c>soar simulate --profile bench</c>; (2) TCP ingest from 4 senders, received = sent; (3) a threshold-crossing
/// line written to TCP until the fake Discord has the card; (4) peak memory of <c>soar replay</c> holding
/// 1,000,000 distinct attacking addresses in one window; (5) the same log through fail2ban-regex and CrowdSec's
/// replay, with the addresses each flags scored against the simulator's ground truth. Soar and the other tools run
/// as processes of their own under GNU time; (2) and (3) run in this process. Prints a Markdown table.
/// Usage: macro suite [--lines N] [--attackers N] [--sources N] [--messages N] [--incidents N] [--skip-external]
/// [--work DIR] [--markdown FILE]
/// </summary>
public static partial class SuiteBenchmark
{
    public const string Description = "issue #9's table: replay, TCP ingest, socket latency, memory, fail2ban and CrowdSec side by side [--skip-external] [--lines N] [--markdown FILE]";

    private static readonly TimeSpan ExternalTimeout = TimeSpan.FromMinutes(60);

    private sealed record Options(int Lines, int Attackers, int Sources, long Messages, int Incidents, bool SkipExternal, string? Work, string? Markdown);

    private sealed record SoarRun(Measured Run, double? InternalRate, IReadOnlySet<string> Flagged, int UserIncidents);

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var options = new Options(
            Detection.ReplayMacroBenchmark.IntArg(args, "--lines", 1_000_000),
            Detection.ReplayMacroBenchmark.IntArg(args, "--attackers", 5_000),
            Detection.ReplayMacroBenchmark.IntArg(args, "--sources", 1_000_000),
            Detection.ReplayMacroBenchmark.IntArg(args, "--messages", 2_000_000),
            Detection.ReplayMacroBenchmark.IntArg(args, "--incidents", 1_000),
            args.Contains("--skip-external"),
            Detection.ReplayMacroBenchmark.Arg(args, "--work"),
            Detection.ReplayMacroBenchmark.Arg(args, "--markdown"));
        var work = options.Work is { } w ? Directory.CreateDirectory(w).FullName : Directory.CreateTempSubdirectory("soar-bench-suite-").FullName;
        var soar = SoarCommand();
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = MachineInfo.LoadAverage();
        var failures = new List<string>();
        void Step(string text) => output.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text}");
        Step($"work directory {work}; soar is {soar.Display}{(soar.Display.Contains("/Release/", StringComparison.Ordinal) ? "" : " (not a Release build: run with -c Release)")}");
        if (!TimedProcess.HasGnuTime) Step("GNU time (/usr/bin/time, Debian package 'time') is missing: no CPU time or peak memory for processes");

        // The log and its ground truth.
        var log = Path.Combine(work, "bench.log");
        var truthPath = Path.Combine(work, "truth.json");
        var day = DateTime.UtcNow.Date.AddDays(-1).ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture);
        Step($"soar simulate --profile bench --lines {options.Lines} --attackers {options.Attackers}");
        var simulate = await TimedProcess.RunAsync("soar-simulate", soar.File,
            [.. soar.Prefix, "simulate", "--profile", "bench", "--lines", Invariant(options.Lines), "--attackers", Invariant(options.Attackers),
                "--seed", "1", "--start", day, "--time-zone", "UTC", "--output", "file", "--file", log, "--truth", truthPath],
            work, TimeSpan.FromMinutes(10));
        if (!simulate.Succeeded) throw new InvalidOperationException($"soar simulate failed: {File.ReadAllText(simulate.StderrPath)}");
        var truth = SimulatedTruth.Read(truthPath);

        // (1) Replay, three times: the median by wall time.
        var replays = new List<SoarRun>();
        for (var run = 1; run <= 3; run++)
        {
            replays.Add(await ReplayAsync(soar, $"soar-replay-{run}", log, work));
            Step($"(1) soar replay run {run}: {Seconds(replays[^1].Run.Wall)}, {Rate(options.Lines, replays[^1].Run.Wall)} lines/s");
        }
        var replay = replays.OrderBy(r => r.Run.Wall).ElementAt(1);
        if (!replay.Run.Succeeded) failures.Add("soar replay failed");

        // (4) Peak memory with a million distinct attackers live at once.
        var distinct = Path.Combine(work, $"distinct-{options.Sources}.log");
        await File.WriteAllLinesAsync(distinct, Detection.MemoryMacroBenchmark.Lines(options.Sources, new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero)));
        var memory = await ReplayAsync(soar, "soar-replay-distinct", distinct, work);
        if (!memory.Run.Succeeded) failures.Add("soar replay of the distinct-address log failed");
        Step($"(4) {options.Sources:N0} distinct addresses: peak RSS {Mb(memory.Run.PeakRssMb)}");
        File.Delete(distinct);

        // (2) TCP ingest, in this process (the listener and the senders share the machine's cores).
        var tcp = await TcpIngestBenchmark.MeasureAsync(options.Messages, 4, "mixed");
        if (!tcp.Complete) failures.Add($"TCP ingest received {tcp.Received} of {tcp.Sent}");
        Step($"(2) TCP ingest: {tcp.Rate:N0} messages/s, received {tcp.Received:N0} of {tcp.Sent:N0}");

        // (3) Socket to card.
        var latency = await SocketLatencyBenchmark.MeasureAsync(options.Incidents, 50, cached: true);
        if (latency.Delivered != latency.Incidents) failures.Add($"{latency.Incidents - latency.Delivered} cards did not arrive");
        Step($"(3) socket -> card: p50 {latency.Percentile(0.5):0.0} ms, p99 {latency.Percentile(0.99):0.0} ms, max {latency.Max:0.0} ms");

        // (5) The same log through the others.
        Measured? grep = null;
        Fail2banRegex.Result? fail2ban = null;
        CrowdSecReplay.Result? crowdsec = null;
        string? fail2banMissing = null, crowdsecMissing = null;
        if (options.SkipExternal)
        {
            fail2banMissing = crowdsecMissing = "skipped (--skip-external)";
        }
        else
        {
            grep = await TimedProcess.RunAsync("grep", "grep", ["-c", "sshd", log], work, ExternalTimeout);
            if (!File.Exists(Fail2banRegex.Program)) fail2banMissing = "not installed (Debian package fail2ban)";
            else
            {
                Step("(5) fail2ban-regex --print-all-matched FILE sshd");
                fail2ban = await Fail2banRegex.RunAsync(log, work, ExternalTimeout);
                if (!fail2ban.Run.Succeeded) failures.Add("fail2ban-regex failed or timed out");
                if (fail2ban.ReportedMatched != fail2ban.MatchedLines)
                    failures.Add($"read {fail2ban.MatchedLines} matched lines of fail2ban-regex's {fail2ban.ReportedMatched}");
                Step($"(5) fail2ban-regex: {Seconds(fail2ban.Run.Wall)}, {fail2ban.Matched.Count:N0} addresses with a failure");
            }
            crowdsecMissing = CrowdSecReplay.Unavailable();
            if (crowdsecMissing is null)
            {
                Step("(5) crowdsec -dsn file://FILE -type syslog -no-capi");
                try
                {
                    crowdsec = await CrowdSecReplay.RunAsync(log, work, ExternalTimeout);
                    if (!crowdsec.Run.Succeeded) failures.Add("crowdsec failed or timed out");
                    Step($"(5) crowdsec: {Seconds(crowdsec.Run.Wall)}, {crowdsec.Flagged.Count:N0} addresses flagged");
                }
                catch (InvalidOperationException e)
                {
                    crowdsecMissing = e.Message;
                }
            }
        }

        var table = Table(options, work, startedAt, loadBefore, MachineInfo.LoadAverage(), truth, simulate, replay, memory, tcp, latency,
            grep, fail2ban, fail2banMissing, crowdsec, crowdsecMissing);
        output.WriteLine();
        output.Write(table);
        if (options.Markdown is { } markdown) await File.WriteAllTextAsync(markdown, table);
        foreach (var failure in failures) output.WriteLine($"FAILED: {failure}");
        if (options.Work is null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
        return failures.Count == 0 ? 0 : 1;
    }

    private static string Table(Options options, string work, DateTimeOffset startedAt, string loadBefore, string loadAfter, SimulatedTruth truth,
        Measured simulate, SoarRun replay, SoarRun memory, TcpIngestBenchmark.Result tcp, SocketLatencyBenchmark.Result latency,
        Measured? grep, Fail2banRegex.Result? fail2ban, string? fail2banMissing, CrowdSecReplay.Result? crowdsec, string? crowdsecMissing)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        static string Met(bool met) => met ? "met" : "**missed**";
        var lines = truth.Lines;
        var replayRate = lines / replay.Run.Wall.TotalSeconds;

        Line($"Run {startedAt:yyyy-MM-dd HH:mm} UTC on {MachineInfo.Describe()}; load average {loadBefore} at the start, {loadAfter} at the end.");
        Line("");
        Line(Invariant($"Log: `soar simulate --profile bench --lines {options.Lines} --attackers {options.Attackers} --seed 1` ({Seconds(simulate.Wall)}): ") +
             Invariant($"{lines:N0} lines, {100.0 * truth.AttackLines / lines:0.0} % attack lines, {100.0 * truth.Ipv6Lines / lines:0.0} % IPv6 lines, ") +
             Invariant($"{truth.Attackers.Count:N0} attacking addresses ({truth.Expected.Count:N0} of them cross a per-address threshold of Soar's rules), ") +
             Invariant($"{truth.Benign.Count:N0} benign clients."));
        Line("");
        Line("| # | measure | result | target | |");
        Line("|---|---|---|---|---|");
        Line(Invariant($"| 1 | `soar replay` of the {lines:N0}-line log, whole process, median of 3 | **{replayRate:N0} lines/s** ") +
             Invariant($"({Seconds(replay.Run.Wall)} wall, {Seconds(replay.Run.Cpu)} CPU, {Mb(replay.Run.PeakRssMb)}") +
             (replay.InternalRate is { } inside ? Invariant($"; {inside:N0} lines/s after start-up") : "") +
             $") | ≥ 1,000,000 lines/s | {Met(replayRate >= 1_000_000)} |");
        if (fail2ban is not null)
        {
            var byWall = fail2ban.Run.Wall / replay.Run.Wall;
            var byCpu = fail2ban.Run.Cpu / replay.Run.Cpu;
            Line(Invariant($"| 1 | replay against `fail2ban-regex FILE sshd`, same log, same run | **{byWall:0}×** as fast by wall time") +
                 (byCpu is { } c ? Invariant($" ({c:0}× by CPU time)") : "") + $" | ≥ 50× | {Met(byWall >= 50)} |");
        }
        else
        {
            Line($"| 1 | replay against `fail2ban-regex FILE sshd` | {fail2banMissing} | ≥ 50× | |");
        }
        Line(Invariant($"| 2 | TCP ingest over loopback, 4 senders (2 LF, 2 octet-counted) | **{tcp.Rate:N0} messages/s**, received {tcp.Received:N0} ") +
             Invariant($"{(tcp.Complete ? "=" : "≠")} sent {tcp.Sent:N0} | ≥ 300,000 messages/s, received = sent | {Met(tcp.Rate >= 300_000 && tcp.Complete)} |"));
        Line(Invariant($"| 3 | threshold-crossing line written to TCP → fake Discord has the card; {latency.Delivered:N0} of {latency.Incidents:N0} incidents, ") +
             Invariant($"VirusTotal answer cached | p50 {latency.Percentile(0.5):0.0} ms, **p99 {latency.Percentile(0.99):0.0} ms**, max {latency.Max:0.0} ms ") +
             Invariant($"| p99 ≤ 50 ms | {Met(latency.Percentile(0.99) <= 50 && latency.Delivered == latency.Incidents)} |"));
        Line(Invariant($"| 4 | peak RSS of `soar replay` with {options.Sources:N0} distinct attacking addresses in one window | **{Mb(memory.Run.PeakRssMb)}** ") +
             Invariant($"({Seconds(memory.Run.Wall)}) | ≤ 300 MB | {(memory.Run.PeakRssMb is { } rss ? Met(rss <= 300) : "")} |"));
        Line("");

        Line(Invariant($"(5) The same log side by side. Flagged addresses are scored against the simulator's truth: {truth.Attackers.Count:N0} attackers, ") +
             Invariant($"{truth.Expected.Count:N0} of them over a threshold of Soar's rules; a benign client flagged is a false positive."));
        Line("");
        Line("| tool | wall | CPU | lines/s | peak RSS | addresses flagged | attackers | over Soar's thresholds | benign |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        void Tool(string name, Measured run, Score? score) => Line(Invariant(
            $"| {name} | {Seconds(run.Wall)} | {Seconds(run.Cpu)} | {lines / run.Wall.TotalSeconds:N0} | {Mb(run.PeakRssMb)} | ") +
            (score is null ? "– | – | – | – |" : Invariant($"{score.Flagged:N0} | {score.Attackers:N0} | {score.Expected:N0} | {score.FalsePositives:N0} |")));
        Tool(Invariant($"`soar replay` (and {replay.UserIncidents:N0} incidents keyed by user: distributed attacks)"), replay.Run, truth.Score(replay.Flagged));
        if (fail2ban is not null)
        {
            Tool("`fail2ban-regex FILE sshd`: every address with a matched failure", fail2ban.Run, truth.Score(fail2ban.Matched));
            Tool(Invariant($"the same matches through the jail: maxretry {Fail2banRegex.MaxRetry} within {Fail2banRegex.FindTime.TotalMinutes:0} min"),
                fail2ban.Run, truth.Score(fail2ban.Banned));
        }
        else
        {
            Line($"| fail2ban-regex | {fail2banMissing} | | | | | | | |");
        }
        if (crowdsec is not null)
            Tool("CrowdSec replay (the agent, to the end of its buckets), crowdsecurity/sshd: " + string.Join(", ", crowdsec.AlertsByScenario.OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => Invariant($"{s.Key.Replace("crowdsecurity/", "", StringComparison.Ordinal)} {s.Value:N0}"))) + " alerts", crowdsec.Run,
                truth.Score(crowdsec.Flagged));
        else
            Line($"| CrowdSec replay | {crowdsecMissing} | | | | | | | |");
        if (grep is not null) Tool("`grep -c sshd FILE` (reading the file, for scale)", grep, null);
        Line("");

        var ratios = new List<string>();
        void Ratio(string name, Measured other)
        {
            var memoryRatio = other.PeakRssMb / replay.Run.PeakRssMb;
            ratios.Add(Invariant($"{other.Wall / replay.Run.Wall:0.#}× as fast as {name} by wall time") +
                       (other.Cpu / replay.Run.Cpu is { } c ? Invariant($" ({c:0.#}× by CPU time)") : "") +
                       (memoryRatio is { } m ? Invariant($", its peak memory {m:0.#}× Soar's") : ""));
        }
        if (fail2ban is not null) Ratio("fail2ban-regex", fail2ban.Run);
        if (crowdsec is not null) Ratio("CrowdSec", crowdsec.Run);
        if (ratios.Count > 0) Line($"Ratios from this run: `soar replay` is {string.Join("; ", ratios)}.");
        Line("");
        Line("Commands run ($WORK is the work directory; paths relative to the repository):");
        Line("");
        foreach (var run in new[] { simulate, replay.Run, memory.Run, grep, fail2ban?.Run, crowdsec?.Run }.OfType<Measured>())
            Line($"    {Elide(run.Command, work)}");
        return text.ToString();
    }

    private static async Task<SoarRun> ReplayAsync((string File, string[] Prefix, string Display) soar, string name, string log, string work)
    {
        var run = await TimedProcess.RunAsync(name, soar.File, [.. soar.Prefix, "replay", "--json", "--time-zone", "UTC", log], work, TimeSpan.FromMinutes(10));
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        var byUser = 0;
        foreach (var line in File.ReadLines(run.StdoutPath))
        {
            using var incident = JsonDocument.Parse(line);
            if (incident.RootElement.GetProperty("key").TryGetProperty("src_ip", out var ip)) flagged.Add(ip.GetString()!);
            else byUser++;
        }
        // soar's own summary: lines/s from its first line read to its last (no runtime start-up).
        var summary = File.ReadLines(run.StderrPath).Select(l => ReplaySummary().Match(l)).FirstOrDefault(m => m.Success);
        double? rate = summary is null ? null : double.Parse(summary.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        return new SoarRun(run, rate, flagged, byUser);
    }

    /// <summary>The soar program built beside the benchmark (Release when the benchmark is run with -c Release).</summary>
    private static (string File, string[] Prefix, string Display) SoarCommand()
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "soar.exe" : "soar");
        if (File.Exists(apphost)) return (apphost, [], apphost);
        var dll = Path.Combine(AppContext.BaseDirectory, "soar.dll");
        return ("dotnet", [dll], dll);
    }

    private static string Elide(string command, string work)
    {
        command = command.Replace(work, "$WORK", StringComparison.Ordinal);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Soar.slnx"))) return command.Replace(dir.FullName + "/", "", StringComparison.Ordinal);
        return command;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan? span) => span is { } s ? Invariant($"{s.TotalSeconds:0.00} s") : "–";

    private static string Mb(double? mb) => mb is { } m ? Invariant($"{m:N0} MB") : "–";

    private static string Rate(long lines, TimeSpan wall) => Invariant($"{lines / wall.TotalSeconds:N0}");

    [GeneratedRegex(@"^soar replay: .*\(([\d,]+) lines/s\)")]
    private static partial Regex ReplaySummary();
}
