using Microsoft.Data.Sqlite;
using Soar.Enrichment.VirusTotal;
using Soar.Storage.Sqlite;

namespace Soar.Tests.Enrichment.VirusTotal;

public sealed class VirusTotalCacheTests : IDisposable
{
    private static readonly DateTimeOffset T = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("soar-vtc-").FullName;

    private VirusTotalCache Open() =>
        new(new SoarDatabase(new SoarDatabaseOptions { DataDir = _dir }, [new VirusTotalCacheMigration()]));

    [Fact]
    public void AnEntryIsServedUntilItExpiresAndSurvivesReopening()
    {
        Open().Put(new CachedLookup("45.1.2.3", true, "{}", T, T.AddHours(24)));
        var cache = Open();

        Assert.Equal("{}", cache.Get("45.1.2.3", T.AddHours(23))?.Body);
        Assert.Null(cache.Get("45.1.2.3", T.AddHours(24)));
        Assert.Null(cache.Get("45.9.9.9", T));
    }

    [Fact]
    public void ANewerAnswerReplacesTheOldAndExpiredRowsAreDropped()
    {
        var cache = Open();
        cache.Put(new CachedLookup("45.1.2.3", true, "{}", T, T.AddHours(1)));
        cache.Put(new CachedLookup("45.1.2.4", false, null, T, T.AddHours(1)));
        cache.Put(new CachedLookup("45.1.2.3", false, null, T.AddHours(2), T.AddHours(6)));

        var entry = cache.Get("45.1.2.3", T.AddHours(3));
        Assert.False(entry!.Found);
        Assert.Equal(1L, Count("virustotal_cache"));
    }

    [Fact]
    public void OnlyTheLastDayOfCallsIsKept()
    {
        var cache = Open();
        cache.RecordCall(T);
        cache.RecordCall(T.AddHours(12));
        cache.RecordCall(T.AddHours(25));

        Assert.Equal([T.AddHours(12), T.AddHours(25)], cache.CallsSince(T.AddHours(1)));
        Assert.Equal(2L, Count("virustotal_calls"));
    }

    private long Count(string table)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, "soar.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
