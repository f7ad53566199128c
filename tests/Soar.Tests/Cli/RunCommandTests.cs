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
}
