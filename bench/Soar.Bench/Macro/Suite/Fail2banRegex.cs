using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Soar.Bench.Macro.Suite;

/// <summary>
/// fail2ban's view of a log: <c>fail2ban-regex --print-all-matched FILE sshd</c> (Debian package fail2ban). The
/// flag only adds the matched lines to the usual report, so time and memory are those of <c>fail2ban-regex FILE sshd</c>.
/// fail2ban-regex tests the filter; whether an address is banned is the jail's policy, so two sets are given: every
/// address with a matched failure, and those the jail would ban with Debian's defaults (maxretry 5 within findtime
/// 10 min, jail.conf), worked out from the matched lines' times.
/// </summary>
public static partial class Fail2banRegex
{
    public const string Program = "/usr/bin/fail2ban-regex";
    public const int MaxRetry = 5;
    public static readonly TimeSpan FindTime = TimeSpan.FromMinutes(10);

    /// <param name="MatchedLines">Matched lines read from the output.</param>
    /// <param name="ReportedMatched">The "matched" of its summary ("Lines: N lines, I ignored, M matched, X missed"): the same, or the output was misread.</param>
    public sealed record Result(Measured Run, IReadOnlySet<string> Matched, IReadOnlySet<string> Banned, long MatchedLines, long? ReportedMatched);

    public static async Task<Result> RunAsync(string log, string workDir, TimeSpan timeout)
    {
        var run = await TimedProcess.RunAsync("fail2ban-regex", Program, ["--print-all-matched", log, "sshd"], workDir, timeout);
        var failures = new Dictionary<string, List<DateTime>>(StringComparer.Ordinal);
        long lines = 0;
        long? reported = null;
        foreach (var line in File.ReadLines(run.StdoutPath))
        {
            if (Summary().Match(line) is { Success: true } summary) reported = long.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture);
            if (ParseMatched(line) is not { } match) continue;
            lines++;
            if (!failures.TryGetValue(match.Ip, out var times)) failures[match.Ip] = times = [];
            times.Add(match.Time);
        }
        var banned = failures.Where(f => WouldBan(f.Value)).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        return new Result(run, failures.Keys.ToHashSet(StringComparer.Ordinal), banned, lines, reported);
    }

    /// <summary>A matched line as fail2ban-regex prints it ("|  Nov 26 10:00:21 web-01 sshd[1]: Failed …"): its time and address.</summary>
    internal static (DateTime Time, string Ip)? ParseMatched(string line)
    {
        var m = MatchedLine().Match(line);
        if (!m.Success) return null;
        var time = DateTime.ParseExact(m.Groups["time"].Value.Replace("  ", " ", StringComparison.Ordinal), "MMM d HH:mm:ss",
            CultureInfo.InvariantCulture);
        // The address is the right-most token that is one (user names come before it; ports have no dot or colon).
        var tokens = m.Groups["message"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = tokens.Length - 1; i >= 0; i--)
        {
            var token = tokens[i][(tokens[i].IndexOf('=') + 1)..].TrimEnd(':', ',', ';');
            if (token.AsSpan().IndexOfAny('.', ':') >= 0 && IPAddress.TryParse(token, out var ip)) return (time, ip.ToString());
        }
        return null;
    }

    /// <summary>At least <see cref="MaxRetry"/> failures within <see cref="FindTime"/>.</summary>
    internal static bool WouldBan(List<DateTime> times)
    {
        if (times.Count < MaxRetry) return false;
        times.Sort();
        for (var i = MaxRetry - 1; i < times.Count; i++)
            if (times[i] - times[i - MaxRetry + 1] <= FindTime) return true;
        return false;
    }

    [GeneratedRegex(@"^Lines: \d+ lines, \d+ ignored, (\d+) matched")]
    private static partial Regex Summary();

    [GeneratedRegex(@"^\|  (?<time>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) \S+ [^:]+: (?<message>.*)$")]
    private static partial Regex MatchedLine();
}
