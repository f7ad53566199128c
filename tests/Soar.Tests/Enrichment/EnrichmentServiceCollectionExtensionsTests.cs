using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Soar.Enrichment;
using Soar.Enrichment.Local;
using Soar.Events;

namespace Soar.Tests.Enrichment;

public sealed class EnrichmentServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddSoarEnrichment(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public async Task WithoutAKeyLookupsSayVirusTotalIsNotConfiguredAndHealthIsFine()
    {
        await using var services = Build([]);
        var report = await services.GetRequiredService<IThreatIntel>().LookupAsync("45.1.2.3", Severity.High, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.IsType<NotConfiguredThreatIntel>(services.GetRequiredService<IThreatIntel>());
        Assert.Equal(IntelStatus.NotConfigured, report.Status);
        Assert.Equal("VirusTotal not configured", report.Note);
        var health = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public async Task BlocklistFilesWrapTheIntelEvenWithoutAKey()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "45.1.0.0/16\n");
            await using var services = Build(new() { ["Blocklists:Files:0"] = file });
            var report = await services.GetRequiredService<IThreatIntel>().LookupAsync("45.1.2.3", Severity.High, TimeSpan.Zero, CancellationToken.None);

            Assert.IsType<BlocklistThreatIntel>(services.GetRequiredService<IThreatIntel>());
            Assert.Equal([Path.GetFileNameWithoutExtension(file)], report.BlocklistHits);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("VirusTotal:BaseUrl", "ftp://example.org", "VirusTotal:BaseUrl")]
    [InlineData("VirusTotal:RequestsPerMinute", "0", "VirusTotal:RequestsPerMinute")]
    [InlineData("SeverityPolicy:MaliciousThreshold", "0", "SeverityPolicy:MaliciousThreshold")]
    public void BadConfigurationFailsAtStartUpNamingTheKey(string key, string value, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => Build(new() { [key] = value }));
        Assert.Contains(named, error.Message);
    }
}
