using Soar.Cli;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Cli;

/// <summary>`soar run` refuses bad HTTP and webhook settings before it listens on anything.</summary>
public class RunCommandTests
{
    private static async Task<(int Exit, string Err)> Soar(params string[] args)
    {
        var stderr = new StringWriter();
        var exit = await SoarCommandLine.InvokeAsync(args, new StringWriter(), stderr);
        return (exit, stderr.ToString());
    }

    [Fact]
    public async Task ABadHttpAddressIsBadUsageNamingTheKey()
    {
        var (exit, error) = await Soar("run", "--http", "nonsense", "--syslog-tcp", "127.0.0.1:0");

        Assert.Equal(2, exit);
        Assert.Contains("Http:Listen", error);
    }

    [Fact]
    public async Task AnUnknownTimeZoneIsBadUsageNamingTheKey()
    {
        var (exit, error) = await Soar("run", "--time-zone", "Mars/Olympus_Mons", "--http", "127.0.0.1:0", "--syslog-tcp", "127.0.0.1:0");

        Assert.Equal(2, exit);
        Assert.Equal("soar run: bad configuration: Syslog:TimeZone (SOAR_TIME_ZONE, --time-zone) 'Mars/Olympus_Mons' is not a time zone " +
                     "such as UTC or Europe/Berlin.", error.TrimEnd());
    }

    [Fact]
    public async Task AShortWebhookTokenIsBadUsageWithoutEchoingIt()
    {
        var config = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(config, "{\"Splunk\": {\"WebhookToken\": \"tiny-secret\"}}");

            var (exit, error) = await Soar("run", "--config", config, "--http", "127.0.0.1:0", "--syslog-tcp", "127.0.0.1:0");

            Assert.Equal(2, exit);
            Assert.Contains("SOAR_WEBHOOK_TOKEN", error);
            Assert.DoesNotContain("tiny-secret", error);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task ThePlaceholderWebhookTokenOfTheSplunkDeploymentIsRefused()
    {
        var config = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(config, "{\"Splunk\": {\"WebhookToken\": \"REPLACE_WITH_YOUR_SOAR_WEBHOOK_TOKEN\"}}");

            var (exit, error) = await Soar("run", "--config", config, "--http", "127.0.0.1:0", "--syslog-tcp", "127.0.0.1:0");

            Assert.Equal(2, exit);
            Assert.Contains("SOAR_WEBHOOK_TOKEN", error);
            Assert.Contains("placeholder", error);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task APortAlreadyTakenStopsTheServiceWithExitOneAndSaysWhy()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var dataDir = Directory.CreateTempSubdirectory("soar-run-").FullName;
        try
        {
            var run = Soar("run", "--syslog-tcp", $"127.0.0.1:{port}", "--syslog-udp", "off", "--http", "127.0.0.1:0",
                "--data-dir", dataDir);

            var (exit, error) = await run.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, exit);
            Assert.Contains($"Cannot listen for syslog on tcp://127.0.0.1:{port}", error);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task AnHttpPortAlreadyTakenStopsTheServiceWithExitOneAndOneLineWithoutAStackTrace()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        // The real process: the framework's own log lines go to the process's stderr, not to a writer.
        var (exit, _, error) = await SoarProcess.RunAsync(new Dictionary<string, string>(), TimeSpan.FromSeconds(60),
            "run", "--http", $"127.0.0.1:{port}", "--syslog-tcp", "127.0.0.1:0", "--syslog-udp", "off");

        Assert.Equal(1, exit);
        Assert.Contains($"soar run: Failed to bind to address http://127.0.0.1:{port}: address already in use.", error);
        Assert.DoesNotContain(" at ", error);
        Assert.DoesNotContain("Exception", error);
    }

    [Fact]
    public async Task ABadRuleInTheRulesDirectoryIsBadUsageNamingTheFileAndLine()
    {
        var rules = Directory.CreateTempSubdirectory("soar-run-rules-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(rules, "my-rule.yaml"),
                "id: my-rule\ntitle: Mine\nkind: threshold\nseverity: extreme\non: failure\ngroup_by: src_ip\nmore_than: 3\nwindow: 60s\n");

            var (exit, error) = await Soar("run", "--rules", rules, "--http", "127.0.0.1:0", "--syslog-tcp", "127.0.0.1:0");

            Assert.Equal(2, exit);
            Assert.Contains($"{Path.Combine(rules, "my-rule.yaml")}:4: key 'severity'", error);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(rules, recursive: true);
        }
    }

    [Fact]
    public async Task TheRulesOptionReplacesTheBuiltInRules()
    {
        var rules = Directory.CreateTempSubdirectory("soar-run-rules-").FullName;
        try
        {
            // An empty directory is refused: so the option does reach the rule loader ...
            var (exit, error) = await Soar("run", "--rules", rules, "--http", "127.0.0.1:0", "--syslog-tcp", "127.0.0.1:0");
            Assert.Equal(2, exit);
            Assert.Contains("no rule files", error);

            // ... and one good rule there is enough to start (it then stops on the taken port).
            await File.WriteAllTextAsync(Path.Combine(rules, "my-rule.yaml"),
                "id: my-rule\ntitle: Mine\nkind: threshold\nseverity: high\non: failure\ngroup_by: src_ip\nmore_than: 3\nwindow: 60s\n");
            using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            taken.Start();
            var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
            (exit, error) = await Soar("run", "--rules", rules, "--syslog-tcp", $"127.0.0.1:{port}", "--syslog-udp", "off",
                "--http", "127.0.0.1:0", "--data-dir", Path.Combine(rules, "data")).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, exit);
            Assert.Contains("Cannot listen for syslog", error);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(rules, recursive: true);
        }
    }

    [Fact]
    public async Task TheOldEnrichmentDeadlineKeyIsReadAsResponseIntelWaitWithAWarning()
    {
        var config = Path.GetTempFileName();
        try
        {
            // A negative wait is refused: the refusal names the new key, so the old one reached it.
            await File.WriteAllTextAsync(config, "{\"Enrichment\": {\"Deadline\": \"-00:00:01\"}}");

            var (exit, error) = await Soar("run", "--config", config, "--http", "127.0.0.1:0", "--syslog-tcp", "127.0.0.1:0");

            Assert.Equal(2, exit);
            Assert.Contains("Enrichment:Deadline is now Response:IntelWait", error);
            Assert.Contains("Response:IntelWait must not be negative", error);
        }
        finally
        {
            File.Delete(config);
        }
    }
}
