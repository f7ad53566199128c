using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Soar.Cli.Hosting;

namespace Soar.Tests.Cli;

public class SoarLoggingTests
{
    private static ILoggerFactory Factory(LogLevel minimum) =>
        new ServiceCollection().AddLogging(l => l.AddSoarConsole(minimum)).BuildServiceProvider().GetRequiredService<ILoggerFactory>();

    [Theory]
    [InlineData("System.Net.Http.HttpClient.virustotal.LogicalHandler")]
    [InlineData("System.Net.Http.HttpClient.virustotal.ClientHandler")]
    [InlineData("Polly")]
    public void HttpClientAndPollyChatterStaysOffTheConsole(string category)
    {
        var logger = Factory(LogLevel.Information).CreateLogger(category);

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void SoarsOwnInformationStillShows()
    {
        Assert.True(Factory(LogLevel.Information).CreateLogger("Soar.Enrichment.VirusTotal.VirusTotalEnricher").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void AHostThatFailsToStartLeavesItsStackTraceOutEvenAtDebug()
    {
        var logger = Factory(LogLevel.Debug).CreateLogger("Microsoft.Extensions.Hosting.Internal.Host");

        Assert.False(logger.IsEnabled(LogLevel.Error));
        Assert.True(Factory(LogLevel.Debug).CreateLogger("Soar.Cli.Run").IsEnabled(LogLevel.Debug));
    }
}
