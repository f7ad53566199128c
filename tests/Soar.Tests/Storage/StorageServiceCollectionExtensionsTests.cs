using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Soar.Storage;
using Soar.Storage.Sqlite;

namespace Soar.Tests.Storage;

public sealed class StorageServiceCollectionExtensionsTests
{
    private static IConfiguration With(string? dataDir) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataDir"] = dataDir }).Build();

    [Fact]
    public void TheDataDirectoryIsRequired()
    {
        var e = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSoarDatabase(With(null)));
        Assert.StartsWith("DataDir:", e.Message);
    }

    [Fact]
    public void AStageNamingAnotherDataDirectoryIsRefusedRatherThanSilentlyIgnored()
    {
        var services = new ServiceCollection().AddSoarStorage(With("/tmp/soar-a"));

        services.AddSoarDatabase(With("/tmp/soar-a/")); // the same directory: fine, registered once
        var e = Assert.Throws<ArgumentException>(() => services.AddSoarDatabase(With("/tmp/soar-b")));

        Assert.Contains("/tmp/soar-b", e.Message);
        Assert.Equal("/tmp/soar-a", Assert.Single(services, d => d.ServiceType == typeof(SoarDatabaseOptions))
            .ImplementationInstance is SoarDatabaseOptions o ? o.DataDir : null);
    }
}
