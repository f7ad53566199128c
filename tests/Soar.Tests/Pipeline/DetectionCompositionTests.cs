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
    public void WithoutADataDirectoryDetectionRunsInMemory()
    {
        using var services = Build();
        Assert.Null(services.GetService<IIncidentQueries>());
        Assert.NotNull(services.GetRequiredService<Detector>());
    }

    [Fact]
    public void ABadRuleInTheRulesDirectoryStopsStartUpNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, "broken.yaml"), "id: broken\ntitle: x\nkind: threshold\n");
        var e = Assert.Throws<ArgumentException>(() => Build(("Detection:RulesDirectory", _dir)));
        Assert.Contains("broken.yaml", e.Message);
        Assert.Contains("key 'severity'", e.Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
