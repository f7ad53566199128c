using Soar.Events;
using Soar.Ingest.Syslog;
using Soar.Parsing;
using Soar.Parsing.Sshd;

namespace Soar.Detection.Rules;

/// <summary>One annotated expectation of a sample log: <c># expect: RULE FIELD=VALUE</c> or <c># expect-none: …</c>.</summary>
public sealed record SampleCase(string Sample, int Line, string Rule, IncidentKey Key, bool Fires)
{
    public override string ToString() => $"{Sample}:{Line}: {(Fires ? "expect" : "expect-none")}: {Rule} {Key}";
}

public sealed record SampleOutcome(SampleCase Case, bool Passed, string Message);

/// <summary>What <c>soar rules test</c> and the test suite report: every case, and what is wrong with the set.</summary>
public sealed record RuleTestReport(IReadOnlyList<SampleOutcome> Outcomes, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0 && Outcomes.Count > 0 && Outcomes.All(o => o.Passed);
}

/// <summary>
/// Runs the annotated sample logs of rules/tests/ (fail2ban's way: a log, and what we expect from it).
/// Each sample is replayed through all the rules; each annotation says which rule must (or must not)
/// have a finding for which key. Finding no cases, or a rule without a case, is a failure.
/// </summary>
public static class RuleSamples
{
    public static RuleTestReport Run(IReadOnlyList<RuleDefinition> rules, IReadOnlyList<(string Name, string Text)> samples)
    {
        var outcomes = new List<SampleOutcome>();
        var problems = new List<string>();
        if (samples.Count == 0) problems.Add("no sample logs found (rules/tests/*.log)");
        foreach (var (name, text) in samples)
        {
            var (cases, errors) = ReadCases(name, text, rules);
            problems.AddRange(errors);
            if (cases.Count == 0) problems.Add($"{name}: no cases (# expect: RULE FIELD=VALUE)");
            outcomes.AddRange(Run(rules, name, text, cases));
        }
        foreach (var rule in rules.Where(r => !outcomes.Any(o => o.Case.Rule == r.Id && o.Case.Fires)))
            problems.Add($"rule {rule.Id} has no sample where it fires: a rule without a test is unfinished");
        return new RuleTestReport(outcomes, problems);
    }

    private static IEnumerable<SampleOutcome> Run(IReadOnlyList<RuleDefinition> rules, string name, string text,
        IReadOnlyList<SampleCase> cases)
    {
        var parser = new AuthLogParser(new SyslogLineParser(TimeProvider.System, TimeZoneInfo.Utc), new SshdParser());
        var detector = new Detector(rules, new IncidentTracker());
        var changes = new List<IncidentChange>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            if (parser.Parse(line, out var e) == LineResult.Recognised) detector.Observe(e!, changes);
        }
        var incidents = detector.Incidents.ToList();
        foreach (var c in cases)
        {
            var fired = incidents.Where(i => i.Key == c.Key).SelectMany(i => i.Findings).Any(f => f.Rule == c.Rule);
            var passed = fired == c.Fires;
            var seen = string.Join("; ", incidents.Where(i => i.Key == c.Key)
                .Select(i => string.Join(",", i.Findings.Select(f => f.Rule))));
            yield return new SampleOutcome(c, passed,
                passed ? "ok" : c.Fires ? $"did not fire (findings for {c.Key}: {(seen.Length == 0 ? "none" : seen)})" : "fired");
        }
    }

    private static (List<SampleCase> Cases, List<string> Errors) ReadCases(string name, string text,
        IReadOnlyList<RuleDefinition> rules)
    {
        var cases = new List<SampleCase>();
        var errors = new List<string>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r');
            bool fires;
            string rest;
            if (line.StartsWith("# expect:", StringComparison.Ordinal)) (fires, rest) = (true, line["# expect:".Length..]);
            else if (line.StartsWith("# expect-none:", StringComparison.Ordinal)) (fires, rest) = (false, line["# expect-none:".Length..]);
            else continue;
            var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var equals = parts.Length == 2 ? parts[1].IndexOf('=') : -1;
            if (equals <= 0 || !KeyFieldNames.TryParse(parts[1][..equals], out var field))
            {
                errors.Add($"{name}:{n + 1}: write '# expect: RULE src_ip=ADDRESS' or '# expect: RULE user=NAME'");
                continue;
            }
            if (rules.All(r => r.Id != parts[0]))
            {
                errors.Add($"{name}:{n + 1}: unknown rule '{parts[0]}'");
                continue;
            }
            var value = parts[1][(equals + 1)..];
            cases.Add(new SampleCase(name, n + 1, parts[0],
                field == KeyField.SourceIp ? IncidentKey.SourceIp(value) : IncidentKey.User(value), fires));
        }
        return (cases, errors);
    }
}
