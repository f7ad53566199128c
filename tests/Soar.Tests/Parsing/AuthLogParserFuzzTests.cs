using System.Text;
using Soar.Events;
using Soar.Ingest.Syslog;
using Soar.Parsing;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Parsing;

/// <summary>
/// Hostile input: random bytes read as text, corpus lines cut at every length and mutated,
/// invalid UTF-8, NULs, megabyte lines built to make a naive parser quadratic, numbers too big
/// for any field. Nothing may throw, and every line must be counted exactly once.
/// </summary>
public class AuthLogParserFuzzTests
{
    private const int Seed = 20261126;

    [Fact]
    public void AHundredThousandHostileLinesThrowNothingAndAreAllCounted()
    {
        var parser = Lines.Parser();
        long fed = 0;
        foreach (var line in HostileLines(new Random(Seed)))
        {
            fed++;
            var result = parser.Parse(line, out var e);
            if (result == LineResult.Recognised) CheckEvent(line, e);
            else Assert.Null(e);
            if (SyslogLineParser.TryParseHeader(line, out var header)) CheckOffsets(line, header);
        }
        Assert.True(fed >= 100_000, $"only {fed} inputs");
        Assert.Equal(fed, parser.Lines);
        Assert.Equal(parser.Lines, parser.Recognised + parser.NotAuthentication + parser.Malformed);
        // The mutations keep many lines readable: the fuzz reaches the sshd parser, not only the header check.
        Assert.True(parser.Recognised > 10_000, $"only {parser.Recognised} recognised");
        Assert.True(parser.Malformed > 10_000, $"only {parser.Malformed} malformed");
    }

    [Fact]
    public void MegabyteLinesBuiltToBeSlowAreReadInLinearTime()
    {
        var parser = Lines.Parser();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lines = PathologicalLines().ToList();
        foreach (var line in lines) parser.Parse(line, out _);
        Assert.Equal(lines.Count, parser.Lines);
        // Not a speed measurement (bench/ does that): a quadratic scan of 1 MiB would take minutes.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    private static void CheckEvent(string line, AuthEvent? e)
    {
        Assert.NotNull(e);
        Assert.Same(line, e.Line);
        Assert.True(Enum.IsDefined(e.Kind));
        Assert.True(e.Count >= 1);
        Assert.True(e.SourcePort is null or >= 0 and <= 65535);
        Assert.True(e.Pid is null or >= 0);
    }

    private static void CheckOffsets(string line, SyslogHeader h)
    {
        Assert.InRange(h.HostStart, 0, line.Length);
        Assert.InRange(h.HostStart + h.HostLength, 0, line.Length);
        Assert.InRange(h.ProgramStart + h.ProgramLength, 0, line.Length);
        Assert.InRange(h.MessageStart, 0, line.Length);
        Assert.InRange(h.MessageStart + h.MessageLength, 0, line.Length);
    }

    private static IEnumerable<string> HostileLines(Random random)
    {
        var corpus = File.ReadLines(CorpusFiles.Path("auth.log"))
            .Concat(File.ReadLines(CorpusFiles.Path("auth-rfc5424.log")))
            .Concat(File.ReadLines(CorpusFiles.Path("auth-iso.log")))
            .Concat(File.ReadLines(RepoFiles.Path("tests/Soar.Tests/Parsing/Sshd/sshd-samples.log"))
                .Where(l => !l.StartsWith('#')))
            .ToArray();

        // Every corpus line cut at every length (≈ 110,000 lines).
        foreach (var line in corpus.Take(900))
        {
            for (var length = 0; length <= line.Length; length++) yield return line[..length];
        }

        // Random bytes, read as UTF-8 (invalid sequences become U+FFFD) and as Latin-1 (NULs, controls).
        var bytes = new byte[256];
        for (var i = 0; i < 10_000; i++)
        {
            var length = random.Next(bytes.Length);
            random.NextBytes(bytes);
            yield return Encoding.UTF8.GetString(bytes, 0, length);
            yield return Encoding.Latin1.GetString(bytes, 0, length);
        }

        // Corpus lines mutated: characters replaced, inserted, deleted; fields swapped for huge numbers.
        string[] inserts = ["\0", " ", ":", "[", "]", "<", ">", "%", "\uFFFD", "\uD800", " port ", " from ", " ssh2",
            "99999999999999999999", "-1", "2147483648", "65536", "::ffff:", "\u202E", "\r\n", "[preauth]"];
        for (var i = 0; i < 40_000; i++)
        {
            var text = new StringBuilder(corpus[random.Next(corpus.Length)]);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0 when at < text.Length: text[at] = (char)random.Next(0, 0x3000); break;
                    case 1: text.Insert(at, inserts[random.Next(inserts.Length)]); break;
                    default: if (at < text.Length) text.Remove(at, 1); break;
                }
            }
            yield return text.ToString();
        }

        // Numbers too big for any field.
        yield return "<99999999999999999999>Nov 26 14:57:46 vm sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2";
        yield return "Nov 26 14:57:46 vm sshd[99999999999999999999]: Failed password for root from 1.2.3.4 port 22 ssh2";
        yield return "Nov 26 14:57:46 vm sshd[1]: Failed password for root from 1.2.3.4 port 99999999999999999999 ssh2";
        yield return "Nov 26 14:57:46 vm sshd[1]: message repeated 99999999999999999999 times: [ Failed password for root from 1.2.3.4 port 22 ssh2]";
        yield return "99999-11-26T14:57:46Z vm sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2";
        yield return "0001-01-01T00:00:00+14:00 vm sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2";
        yield return "9999-12-31T23:59:59-14:00 vm sshd[1]: Failed password for root from 1.2.3.4 port 22 ssh2";
        yield return "<38>1 2026-11-26T14:57:46.99999999999999999999Z vm sshd 99999999999999999999 - - x";
        foreach (var line in PathologicalLines()) yield return line;
    }

    private static IEnumerable<string> PathologicalLines()
    {
        const int MiB = 1 << 20;
        static string Repeat(string part) => new StringBuilder(MiB + part.Length).Insert(0, part, MiB / part.Length).ToString();
        const string Head = "Nov 26 14:57:46 vm sshd[1]: ";
        yield return Head + "Failed password for " + Repeat(" ssh2");
        yield return Head + "Failed password for " + Repeat("x from 1.2.3.4 port 22 ssh2: ");
        yield return Head + "Invalid user " + Repeat(" from 1.2.3.4 port 2");
        yield return Head + "Received disconnect from " + Repeat(" port 1:") + " [preauth]";
        yield return Head + "Received disconnect from " + Repeat("1.2.3.4 port ") + " [preauth]";
        yield return Head + "Connection closed by " + Repeat("authenticating user ") + " 1.2.3.4 port 1 [preauth]";
        yield return Head + "User " + Repeat(" not allowed because ");
        yield return Head + "PAM: " + Repeat(" for ") + " from 1.2.3.4";
        yield return Head + "pam_unix(sshd:auth): authentication failure; " + Repeat(" rhost=");
        yield return Head + "message repeated 2 times: [" + Repeat("[") + "]";
        yield return "<38>1 2026-11-26T14:57:46Z vm sshd 1 - " + Repeat("[a x=\"]\\\"\"]");
        yield return Repeat("\0");
        yield return Repeat("\uFFFD");
        yield return Head + Repeat("a");
    }
}
