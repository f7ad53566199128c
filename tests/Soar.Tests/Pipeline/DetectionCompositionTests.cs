using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Soar.Detection;
using Soar.Events;
using Soar.Pipeline;
using Soar.Storage;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Pipeline;

public sealed class DetectionCompositionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("soar-compose-").FullName;

    private ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new("Ingest:Tcp:Listen", "127.0.0.1:0")))
            .Build();
        return new ServiceCollection().AddLogging().AddSoarPipeline(configuration, TextWriter.Null).BuildServiceProvider();
    }

    [Fact]
    public void WithADataDirectoryIncidentsAreStoredAndTheOpenOnesComeBackAfterARestart()
    {
        var parser = Lines.Parser();
        using (var first = Build(("DataDir", _dir)))
        {
            var detector = first.GetRequiredService<Detector>();
            var recorder = first.GetRequiredService<IIncidentRecorder>();
            var changes = new List<IncidentChange>();
            for (var i = 0; i < 11; i++)
            {
                parser.Parse(Lines.FailedPassword(Lines.Now.AddMinutes(-30).AddSeconds(i), "203.0.113.44", port: 40000 + i), out var e);
                detector.Observe(e!, changes);
            }
            foreach (var change in changes) recorder.Record(change);
        }
        using var second = Build(("DataDir", _dir));
        var restored = Assert.Single(second.GetRequiredService<Detector>().Incidents);
        Assert.Equal(IncidentKey.SourceIp("203.0.113.44"), restored.Key);
        Assert.Equal(restored.Id, Assert.Single(second.GetRequiredService<IIncidentQueries>().List(new IncidentFilter())).Id);
    }

    [Fact]
    public void WithoutADataDirectoryCompositionFailsNamingTheKey()
    {
        // No silent ./data: the store, the outbox and the cache write where the caller said, or nowhere.
        var e = Assert.Throws<ArgumentException>(() => Build());
        Assert.StartsWith("DataDir:", e.Message);
    }

    [Fact]
    public async Task EveryStageWritesToTheOneConfiguredDataDirectory()
    {
        await using var services = Build(("DataDir", _dir), ("VirusTotal:ApiKey", "k"));
        var database = Assert.Single(services.GetServices<Soar.Storage.Sqlite.SoarDatabaseOptions>());
        Assert.Equal(_dir, database.DataDir);
        // The outbox, the store and the VirusTotal cache share that database: their tables are in one file.
        services.GetRequiredService<Soar.Response.Outbox.OutboxStore>().All();
        services.GetRequiredService<IIncidentQueries>().List(new IncidentFilter());
        services.GetRequiredService<Soar.Enrichment.VirusTotal.VirusTotalCache>().CallsSince(DateTimeOffset.UnixEpoch);
        using var connection = services.GetRequiredService<Soar.Storage.Sqlite.SoarDatabase>().Open();
        Assert.Equal(Path.Combine(_dir, "soar.db"), connection.DataSource);
        using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE name IN ('incidents', 'outbox', 'virustotal_cache') ORDER BY name)";
        Assert.Equal("incidents,outbox,virustotal_cache", tables.ExecuteScalar());
    }

    [Fact]
    public void ABadRuleInTheRulesDirectoryStopsStartUpNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, "broken.yaml"), "id: broken\ntitle: x\nkind: threshold\n");
        var e = Assert.Throws<ArgumentException>(() => Build(("Detection:RulesDirectory", _dir), ("DataDir", _dir)));
        Assert.Contains("broken.yaml", e.Message);
        Assert.Contains("key 'severity'", e.Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
