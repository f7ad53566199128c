using System.Text;
using BenchmarkDotNet.Attributes;
using Soar.Detection;
using Soar.Detection.Attempts;
using Soar.Detection.Rules;
using Soar.Events;
using Soar.Ingest.Syslog;
using Soar.Parsing;
using Soar.Parsing.Sshd;

namespace Soar.Bench.Detection;

/// <summary>
/// Detection fed events parsed beforehand (the bench profile of <c>soar simulate</c>: brute force,
/// spraying, distributed, scanners, compromises, benign logins). <see cref="Detector"/> is the whole
/// stage (lines joined into attempts, every rule, incidents); <see cref="RuleEngine"/> the rules alone on
/// the attempts. Figures are per event and per attempt: 1e9 / Mean (ns) per second.
/// <c>dotnet run -c Release --project bench/Soar.Bench -- --filter '*RuleEvaluation*'</c>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class RuleEvaluationBenchmarks
{
    private const int Events = 100_000;
    private const int Signals = 20_000;
    private AuthEvent[] _events = [];
    private Signal[] _signals = [];
    private IReadOnlyList<RuleDefinition> _rules = [];
    private Allowlist _allowlist = null!;
    private readonly List<IncidentChange> _changes = [];
    private readonly List<RuleHit> _matches = [];

    [GlobalSetup]
    public void Setup()
    {
        (_rules, _allowlist) = new DetectionOptions().Validate();
        var parser = new AuthLogParser(new SyslogLineParser(TimeProvider.System, TimeZoneInfo.Utc), new SshdParser());
        var events = new List<AuthEvent>(Events);
        foreach (var message in Ingest.FramingBenchmarks.SimulatedMessages(Events * 2))
        {
            if (parser.Parse(Encoding.UTF8.GetString(message), out var e) == LineResult.Recognised) events.Add(e!);
            if (events.Count == Events) break;
        }
        if (events.Count < Events) throw new InvalidOperationException($"only {events.Count} events");
        _events = [.. events];

        var attempts = new AttemptCounter();
        var signals = new List<Signal>();
        foreach (var e in _events) attempts.Count(e, signals);
        if (signals.Count < Signals) throw new InvalidOperationException($"only {signals.Count} attempts and probes");
        _signals = [.. signals.Take(Signals)];
    }

    /// <summary>The detection stage as the pipeline runs it, from a fresh start each time.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int Detector()
    {
        var detector = new Detector(_rules, new IncidentTracker(), _allowlist);
        var incidents = 0;
        foreach (var e in _events)
        {
            detector.Observe(e, _changes);
            incidents += _changes.Count;
            _changes.Clear();
        }
        return incidents;
    }

    /// <summary>Every rule on each attempt or probe: the windows, counts and distinct sets.</summary>
    [Benchmark(OperationsPerInvoke = Signals)]
    public int RuleEngine()
    {
        var engine = new RuleEngine(_rules);
        var matches = 0;
        foreach (var signal in _signals)
        {
            engine.Observe(signal, _matches);
            matches += _matches.Count;
            _matches.Clear();
        }
        return matches;
    }
}
