using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Soar.Ingest;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Ingest;

/// <summary>Which sources the composition root registers for a configuration, and what it refuses.</summary>
public sealed class IngestCompositionTests : IDisposable
{
    private readonly TempDataDir _dataDir = new();

    public void Dispose() => _dataDir.Dispose();

    private IServiceProvider Compose(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Ingest:Tcp:Listen", "127.0.0.1:0");
        settings.TryAdd("DataDir", _dataDir.Path);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSoarPipeline(configuration, new StringWriter()).BuildServiceProvider();
    }

    private List<string> SourceNames(Dictionary<string, string?> settings) =>
        Compose(settings).GetServices<IMessageSource>().Select(s => s.Name).ToList();

    [Fact]
    public void ByDefaultOnlyTcpIsRegisteredWhenThePipelineIsComposedInProcess()
    {
        Assert.Equal(["tcp"], SourceNames([]));
    }

    [Fact]
    public void EveryConfiguredSourceIsRegisteredAndOffTurnsTcpOff()
    {
        var names = SourceNames(new()
        {
            ["Ingest:Tcp:Listen"] = "off",
            ["Ingest:Udp:Listen"] = "127.0.0.1:0",
            ["Ingest:Files:Follow:0"] = "/tmp/a.log",
            ["Ingest:Files:Follow:1"] = "/tmp/b.log",
            ["Ingest:Stdin:Enabled"] = "true",
        });
        Assert.Equal(["udp", "file:/tmp/a.log", "file:/tmp/b.log", "stdin"], names);
    }

    [Theory]
    [InlineData("Ingest:Tcp:Listen", "localhost", "Ingest:Tcp:Listen")]
    [InlineData("Ingest:Udp:Listen", "1514", "Ingest:Udp:Listen")]
    [InlineData("Ingest:Tcp:MaxMessageBytes", "0", "Ingest:Tcp:MaxMessageBytes")]
    [InlineData("Ingest:Tls:Listen", "127.0.0.1:6514", "Ingest:Tls:CertificateFile")]
    [InlineData("Ingest:Tls:CertificateFile", "/nonexistent/cert.pem", "Ingest:Tls:CertificateFile")]
    [InlineData("Ingest:Files:Follow:0", "/nonexistent-folder/auth.log", "Ingest:Files:Follow")]
    public void BadIngestConfigurationFailsAtStartUpNamingTheKey(string key, string value, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => Compose(new() { [key] = value }));
        Assert.Contains(named, error.Message);
    }
}
