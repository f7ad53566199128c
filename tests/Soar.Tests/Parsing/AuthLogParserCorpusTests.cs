using System.Text.Json;
using Soar.Events;
using Soar.Parsing;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Parsing;

/// <summary>
/// Every line of the real OpenSSH 9.2 corpus, in its three syslog formats, against the lab's
/// ground truth: per source address, how many lines of each kind sshd wrote.
/// </summary>
public class AuthLogParserCorpusTests
{
    public static TheoryData<string> Formats() => new() { "auth.log", "auth-rfc5424.log", "auth-iso.log" };

    private static readonly JsonElement GroundTruth =
        JsonDocument.Parse(File.ReadAllText(CorpusFiles.Path("ground_truth.json"))).RootElement;

    private static (AuthLogParser Parser, List<AuthEvent> Events) ParseCorpus(string file)
    {
        // RFC 3164 lines carry no year or zone: read them as of the run's end, in UTC as the lab wrote them.
        var parser = Lines.Parser(GroundTruth.GetProperty("run_end").GetDateTimeOffset());
        var events = new List<AuthEvent>();
        foreach (var line in File.ReadLines(CorpusFiles.Path(file)))
        {
            if (parser.Parse(line, out var e) == LineResult.Recognised) events.Add(e!);
        }
        return (parser, events);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryLineIsReadAndNoneIsMalformed(string file)
    {
        var (parser, _) = ParseCorpus(file);
        Assert.Equal(GroundTruth.GetProperty("output_files").GetProperty(file).GetProperty("lines").GetInt64(), parser.Lines);
        Assert.Equal(0, parser.Malformed);
        Assert.Equal(parser.Lines, parser.Recognised + parser.NotAuthentication);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void PerSourceCountsMatchTheGroundTruth(string file)
    {
        var (_, events) = ParseCorpus(file);
        var counted = new Dictionary<(string Ip, string Kind), int>();
        foreach (var e in events.Where(e => e.SourceIp is not null))
            counted[(e.SourceIp!, e.Kind.Name())] = counted.GetValueOrDefault((e.SourceIp!, e.Kind.Name())) + e.Count;

        // validation.json says which counters the lab checked as "at least" (hydra retries more than it tried).
        var atLeast = JsonDocument.Parse(File.ReadAllText(CorpusFiles.Path("validation.json"))).RootElement
            .GetProperty("checks").EnumerateArray()
            .Where(c => c.GetProperty("expected").ValueKind == JsonValueKind.String
                        && c.GetProperty("expected").GetString()!.StartsWith(">="))
            .Select(c => (c.GetProperty("src_ip").GetString()!, c.GetProperty("counter").GetString()!))
            .ToHashSet();

        var checkedCounters = 0;
        var wrong = new List<string>();
        foreach (var source in GroundTruth.GetProperty("per_source_expected").EnumerateObject())
        {
            foreach (var counter in source.Value.EnumerateObject())
            {
                Assert.True(AuthEventKindNames.TryParse(counter.Name, out _), $"ground truth counter {counter.Name} is no kind of ours");
                var expected = counter.Value.GetInt32();
                var actual = counted.GetValueOrDefault((source.Name, counter.Name));
                var ok = atLeast.Contains((source.Name, counter.Name)) ? actual >= expected : actual == expected;
                if (!ok) wrong.Add($"{source.Name} {counter.Name}: {actual}, expected {expected}");
                checkedCounters++;
            }
        }
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
        Assert.True(checkedCounters > 100);
    }

    [Fact]
    public void TheThreeFormatsGiveTheSameEvents()
    {
        static object Shape(AuthEvent e) => new
        {
            e.Host, e.Program, e.Pid, e.Kind, e.Outcome, e.User, e.InvalidUser, e.SourceIp, e.SourcePort, e.Method,
            e.Count,
            // RFC 3164 has whole seconds only.
            Second = e.Time.UtcTicks / TimeSpan.TicksPerSecond,
        };
        var traditional = ParseCorpus("auth.log").Events.Select(Shape).ToList();
        var rfc5424 = ParseCorpus("auth-rfc5424.log").Events;
        var iso = ParseCorpus("auth-iso.log").Events;
        Assert.True(traditional.Count > 400);
        Assert.Equal(traditional, rfc5424.Select(Shape).ToList());
        Assert.Equal(traditional, iso.Select(Shape).ToList());
        Assert.Equal(rfc5424.Select(e => e.Time), iso.Select(e => e.Time));
    }
}
