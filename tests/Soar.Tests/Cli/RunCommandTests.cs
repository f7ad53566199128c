using Soar.Cli;

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
}
