using Soar.Cli;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Cli;

public class CommandLineTests
{
    private static async Task<(int Exit, string Out, string Err)> Soar(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await SoarCommandLine.InvokeAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task TheDemoPrintsOneCardPerAttackerAndExitsZero()
    {
        var (exit, output, error) = await Soar("demo");
        Assert.True(exit == 0, error);
        Assert.Equal(3, output.Split("╭─").Length - 1);
        Assert.Contains("— 203.0.113.7", output);
        Assert.Contains("— 198.51.100.23", output);
        Assert.Contains("— 2001:db8:bad::17", output);
        Assert.DoesNotContain("192.0.2.50", output); // three typos are not an attack
        Assert.DoesNotContain("\u001b[", output); // no colour when not on a terminal
    }

    [Fact]
    public async Task TheDemoRunsOnEmbeddedDefaultsWhateverTheEnvironmentSaysAndItsBannerSaysSo()
    {
        // Read by 'soar run', not by the demo: a key would make the banner lie, other rules the demo fail.
        var environment = new Dictionary<string, string>
        {
            ["SOAR_VIRUSTOTAL_API_KEY"] = "real-looking-key-0123456789abcdef",
            ["SOAR_DISCORD_WEBHOOK_URL"] = "http://127.0.0.1:9/api/webhooks/1/token",
            ["SOAR_RULES_DIR"] = "/nonexistent/rules",
        };

        var (exit, output, error) = await SoarProcess.RunAsync(environment, TimeSpan.FromSeconds(120), "demo");

        Assert.True(exit == 0, error);
        Assert.Contains("enrichment  VirusTotal not configured", output);
        Assert.Contains("response    console cards (Discord not configured)", output);
        Assert.Contains("detection   6 built-in rules", output);
        Assert.Equal(3, output.Split("╭─").Length - 1);
    }

    [Fact]
    public async Task ParsePrintsOneJsonEventPerRecognisedLine()
    {
        var (exit, output, error) = await Soar("parse", "--time-zone", "UTC", CorpusFiles.Path("auth.log"));
        Assert.Equal(0, exit);
        var events = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "failed_password"
                                     && e.GetProperty("src_ip").GetString() == "127.0.0.11"
                                     && e.GetProperty("outcome").GetString() == "failure");
        Assert.All(events, e => Assert.Equal("sshd", e.GetProperty("program").GetString()));
        Assert.Contains("542 lines", error);
        Assert.Contains($"{events.Count} events", error);
        Assert.Contains("0 malformed", error);
        Assert.Contains("by kind: failed_password", error);
    }

    [Fact]
    public async Task ParseOfAMissingFileExitsTwo()
    {
        var (exit, _, error) = await Soar("parse", "/nonexistent/auth.log");
        Assert.Equal(2, exit);
        Assert.Contains("cannot read /nonexistent/auth.log", error);
    }

    [Fact]
    public async Task ReplayOfTheCorpusFindsTheBruteForceAttackers()
    {
        var (exit, output, _) = await Soar("replay", "--json", "--time-zone", "UTC", CorpusFiles.Path("auth.log"));
        Assert.Equal(0, exit);
        var keys = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("key"))
            .Select(k => k.TryGetProperty("src_ip", out var ip) ? ip.GetString() : "user " + k.GetProperty("user").GetString())
            .ToHashSet();
        // The default rules on the real corpus (Detection/CorpusDetectionTests checks the findings too).
        foreach (var ip in new[] { "127.0.0.1", "127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14", "127.0.0.19", "127.0.0.20", "::1", "user labuser" })
            Assert.Contains(ip, keys);
        foreach (var ip in new[] { "127.0.0.15", "127.0.0.16", "127.0.0.17", "127.0.0.18", "127.0.0.21" })
            Assert.DoesNotContain(ip, keys);
    }

    [Fact]
    public async Task AnUnknownOptionIsBadUsage()
    {
        // Not taken for a file name by the files argument.
        var (exit, _, error) = await Soar("replay", "--bogus", "x");
        Assert.Equal(2, exit);
        Assert.StartsWith("soar replay: Unrecognized option '--bogus'.", error);
    }

    [Theory]
    [InlineData("soar: Unrecognized command or argument 'bogus'.", "Try 'soar --help'.", "bogus")]
    [InlineData("soar rules: Unrecognized command or argument 'bogus'.", "Try 'soar rules --help'.", "rules", "bogus")]
    [InlineData("soar rules export: Argument 'csv' not recognized. Must be one of: 'splunk'", "Try 'soar rules export --help'.",
        "rules", "export", "--format", "csv")]
    [InlineData("soar run: Required argument missing for option: '--http'.", "Try 'soar run --help'.", "run", "--http")]
    [InlineData("soar incidents list: --since 'yesterday' is not a time such as 2026-11-26T14:00:00Z.",
        "Try 'soar incidents list --help'.", "incidents", "list", "--since", "yesterday")]
    [InlineData("soar incidents list: --limit must be from 1 to 1000.", "Try 'soar incidents list --help'.", "incidents", "list", "--limit", "0")]
    [InlineData("soar simulate: Cannot parse argument 'x' for option '--seed' as a whole number.", "Try 'soar simulate --help'.",
        "simulate", "--seed", "x")]
    public async Task WrongArgumentsAreOneLineNamingTheVerbThenWhereHelpIs(string line, string hint, params string[] args)
    {
        var (exit, output, error) = await Soar(args);

        Assert.Equal(2, exit);
        Assert.Equal([line, hint], error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(output);
    }

    [Fact]
    public async Task RunWithTlsButNoCertificateIsBadUsageThatNamesTheMissingKey()
    {
        var (exit, _, error) = await Soar("run", "--syslog-tcp", "off", "--syslog-udp", "off", "--syslog-tls", "127.0.0.1:0");
        Assert.Equal(2, exit);
        Assert.Contains("Ingest:Tls:CertificateFile", error);
    }

    [Fact]
    public async Task RunHelpListsEverySource()
    {
        var (_, output, _) = await Soar("run", "--help");
        foreach (var option in new[] { "--syslog-tcp", "--syslog-udp", "--syslog-tls", "--tls-cert", "--follow", "--from-start", "--stdin" })
            Assert.Contains(option, output);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("demo")]
    [InlineData("parse")]
    [InlineData("replay")]
    [InlineData("simulate")]
    [InlineData("rules")]
    [InlineData("rules", "list")]
    [InlineData("rules", "test")]
    [InlineData("rules", "export")]
    [InlineData("incidents")]
    [InlineData("incidents", "list")]
    [InlineData("incidents", "show")]
    public async Task EveryVerbHasHelp(params string[] verb)
    {
        var (exit, output, _) = await Soar([.. verb, "--help"]);
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output);
        Assert.Contains(string.Join(' ', verb), output);
    }
}
