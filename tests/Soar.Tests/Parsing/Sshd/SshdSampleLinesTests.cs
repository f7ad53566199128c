using System.Text.Json;
using Soar.Events;
using Soar.Parsing;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Parsing.Sshd;

/// <summary>
/// The contract as sample logs (fail2ban style): sshd-samples.log holds every message form we
/// support, each preceded by what it must give. Every annotated line must behave. A line
/// annotated "held" gives no event yet and is read, by the same parser, before the next sample.
/// </summary>
public class SshdSampleLinesTests
{
    public static TheoryData<int, string[], string, string> Samples()
    {
        var data = new TheoryData<int, string[], string, string>();
        var held = new List<string>();
        string? expectation = null;
        var number = 0;
        foreach (var line in File.ReadLines(RepoFiles.Path("tests/Soar.Tests/Parsing/Sshd/sshd-samples.log")))
        {
            number++;
            if (line.StartsWith("##") || line.Length == 0) continue;
            if (line.StartsWith("#>"))
            {
                if (expectation is not null) throw new InvalidDataException($"line {number}: two expectations in a row");
                expectation = line[2..].Trim();
                continue;
            }
            if (expectation is null) throw new InvalidDataException($"line {number}: a sample without an expectation");
            data.Add(number, [.. held], line, expectation);
            if (expectation == "held") held.Add(line);
            else held.Clear();
            expectation = null;
        }
        return data;
    }

    [Fact]
    public void TheSampleFileCoversEveryKind()
    {
        var kinds = Samples().Select(row => (string)row[3])
            .Where(e => e.StartsWith('{'))
            .Select(e => JsonDocument.Parse(e).RootElement.GetProperty("kind").GetString())
            .ToHashSet();
        var missing = Enum.GetValues<AuthEventKind>().Select(k => k.Name()).Where(n => !kinds.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "no sample for: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void EachAnnotatedLineGivesWhatItsAnnotationSays(int lineNumber, string[] heldBefore, string line,
        string expectation)
    {
        var parser = Lines.Parser();
        foreach (var before in heldBefore) Assert.Equal(LineResult.NotAuthentication, parser.Parse(before, out _));
        var result = parser.Parse(line, out var authEvent);
        switch (expectation)
        {
            case "held":
            case "none":
                Assert.True(result == LineResult.NotAuthentication, $"line {lineNumber}: {result} {authEvent?.Kind}");
                return;
            case "malformed":
                Assert.True(result == LineResult.Malformed, $"line {lineNumber}: {result}");
                return;
        }
        Assert.True(result == LineResult.Recognised, $"line {lineNumber}: {result}");
        var actual = ToJson(authEvent!);
        foreach (var expected in JsonDocument.Parse(expectation).RootElement.EnumerateObject())
        {
            var got = actual.GetProperty(expected.Name);
            var same = expected.Name == "time"
                ? got.GetDateTimeOffset() == expected.Value.GetDateTimeOffset()
                  && got.GetDateTimeOffset().Offset == expected.Value.GetDateTimeOffset().Offset
                : JsonElement.DeepEquals(got, expected.Value);
            Assert.True(same, $"line {lineNumber}: {expected.Name} is {got.GetRawText()}, expected {expected.Value.GetRawText()}");
        }
        Assert.Equal(line, authEvent!.Line);
    }

    private static JsonElement ToJson(AuthEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer)) JsonOutput.WriteEvent(json, e);
        return JsonDocument.Parse(buffer.ToArray()).RootElement;
    }
}
