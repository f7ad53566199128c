using BenchmarkDotNet.Attributes;
using Soar.Ingest.Syslog;
using Soar.Parsing;
using Soar.Parsing.Sshd;

namespace Soar.Bench.Parsing;

/// <summary>
/// Parsing speed on the real OpenSSH corpus (tests/corpus/openssh-9.2-lab): every line of its three
/// syslog formats, repeated. Each figure is per line (OperationsPerInvoke): lines/s = 1e9 / Mean (ns).
/// <c>dotnet run -c Release --project bench/Soar.Bench -- --filter '*AuthLogParser*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class AuthLogParserBenchmarks
{
    private string[] _mix = [];
    private string[] _notAuthentication = [];
    private AuthLogParser _parser = null!;

    [GlobalSetup]
    public void Setup()
    {
        var corpus = FindCorpus();
        _mix = new[] { "auth.log", "auth-rfc5424.log", "auth-iso.log" }
            .SelectMany(f => File.ReadAllLines(Path.Combine(corpus, f))).ToArray();
        if (_mix.Length != LinesPerRound) throw new InvalidOperationException($"corpus has {_mix.Length} lines");
        var probe = NewParser();
        _notAuthentication = _mix.Where(l => probe.Parse(l, out _) != LineResult.Recognised).ToArray();
        _notAuthentication = Enumerable.Repeat(_notAuthentication, LinesPerRound / _notAuthentication.Length + 1)
            .SelectMany(x => x).Take(LinesPerRound).ToArray();
        _parser = NewParser();
    }

    private const int LinesPerRound = 3 * 542;

    /// <summary>The realistic mix: 88 % of these lines are authentication events (allocating the event).</summary>
    [Benchmark(OperationsPerInvoke = LinesPerRound)]
    public long CorpusMix()
    {
        long recognised = 0;
        foreach (var line in _mix)
        {
            if (_parser.Parse(line, out _) == LineResult.Recognised) recognised++;
        }
        return recognised;
    }

    /// <summary>Lines that are not authentication events (sessions, PAM noise): nothing may be allocated.</summary>
    [Benchmark(OperationsPerInvoke = LinesPerRound)]
    public long NotAuthenticationLines()
    {
        long recognised = 0;
        foreach (var line in _notAuthentication)
        {
            if (_parser.Parse(line, out _) == LineResult.Recognised) recognised++;
        }
        return recognised;
    }

    private static AuthLogParser NewParser() =>
        new(new SyslogLineParser(TimeProvider.System, TimeZoneInfo.Utc), new SshdParser());

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
