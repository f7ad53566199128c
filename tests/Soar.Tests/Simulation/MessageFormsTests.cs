using System.Text.RegularExpressions;
using Soar.Simulation;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Simulation;

/// <summary>Every message form the simulator writes is one real OpenSSH 9.2 + PAM wrote in the corpus.</summary>
public class MessageFormsTests
{
    /// <summary>Forms the corpus lacks, written on purpose; each with the reason.</summary>
    private static readonly Dictionary<string, string> DeliberateAdditions = new()
    {
        ["CRON: pam_unix(cron:session): session opened for user <user>(uid=<n>) by (uid=<n>)"] =
            "cron noise: every Debian host logs its cron sessions to auth.log; the lab ran no cron",
        ["CRON: pam_unix(cron:session): session closed for user <user>"] = "cron noise, as above",
        ["sshd: PAM <n> more authentication failure; logname= uid=<n> euid=<n> tty=ssh ruser= rhost=<ip> "] =
            "pam_unix's singular 'failure' for an unknown user: the corpus has the singular only for a known user "
            + "and the plural only for unknown ones; it is the same format string",
    };

    // Names that never occur as words in sshd's own text, so they can be normalised by value.
    private static readonly string[] Users = ["root", "admin", "oracle", "pi", "guest", "postgres", "ubuntu", "deploy", "alice"];

    [Fact]
    public void EveryFormTheSimulatorWritesAppearsInTheCorpusOrIsADeliberateAddition()
    {
        var corpus = CorpusForms();
        var written = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var seed in new[] { 1, 2, 3, 4, 5 })
        {
            var options = new SimulationOptions
            {
                Seed = seed, Start = Lines.Now, AttackUsers = Users, ValidUsers = ["root", "deploy", "alice"],
                Scenarios = [.. Enum.GetValues<ScenarioKind>().Select(ScenarioSpec.Default)],
            };
            foreach (var line in Simulator.Generate(options).Lines) written.Add(Normalise(line));
        }

        var unknown = written.Where(f => !corpus.Contains(f) && !DeliberateAdditions.ContainsKey(f)).ToList();
        Assert.True(unknown.Count == 0, "forms not in message_forms.txt:\n" + string.Join("\n", unknown));
        // Every scenario form is exercised: the run covers the bulk of the corpus's sshd forms.
        Assert.True(written.Count >= 35, $"only {written.Count} forms written");
    }

    [Fact]
    public void EveryLineFormRendersToTextWithItsProgramAndPriority()
    {
        foreach (var form in Enum.GetValues<LineForm>())
        {
            var line = new SimulatedLine(Lines.Now, 4242, form, "root", "203.0.113.7", 50000, 2, 0);
            Assert.False(string.IsNullOrWhiteSpace(line.Message), form.ToString());
            Assert.Contains(SshdMessages.Priority(form) / 8, new[] { 4, 10 }); // auth or authpriv
        }
    }

    private static string Normalise(SimulatedLine line)
    {
        var text = line.Message;
        if (line.Address is { } ip) text = text.Replace(ip, "<ip>", StringComparison.Ordinal);
        if (line.User is { } user) text = Regex.Replace(text, $@"(?<![\w-]){Regex.Escape(user)}(?![\w-])", "<user>");
        text = Regex.Replace(text, @"(?<=port )\d+", "<port>");
        text = Regex.Replace(text, @"(?<=port <port>:)\d+(?=:)", "<code>");
        text = Regex.Replace(text, @"SHA256:\S+", "SHA256:<fp>");
        text = Regex.Replace(text, @"(?<=uid=)\d+", "<n>");
        text = Regex.Replace(text, @"PAM \d+ more", "PAM <n> more");
        text = Regex.Replace(text, @"retries; \d+ > \d+", "retries; <n> > <n>");
        return $"{line.Program}: {text}";
    }

    private static HashSet<string> CorpusForms()
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(CorpusFiles.Path("message_forms.txt")))
        {
            var match = Regex.Match(raw, @"^\s+\d+\s+(\S+: .*)$");
            if (match.Success) forms.Add(match.Groups[1].Value);
        }
        Assert.True(forms.Count > 40, "message_forms.txt did not parse");
        return forms;
    }
}
