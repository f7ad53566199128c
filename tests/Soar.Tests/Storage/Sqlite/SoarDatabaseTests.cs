using Soar.Storage.Sqlite;

namespace Soar.Tests.Storage.Sqlite;

public sealed class SoarDatabaseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("soar-db-").FullName;

    private sealed record Migration(string Id, string Sql) : ISchemaMigration;

    [Fact]
    public void MigrationsApplyOnceInIdOrderAndSurviveReopening()
    {
        var options = new SoarDatabaseOptions { DataDir = _dir };
        Migration[] migrations =
        [
            new("0200-b", "INSERT INTO t (v) VALUES ('second')"),
            new("0100-a", "CREATE TABLE t (v TEXT)"),
        ];
        _ = new SoarDatabase(options, migrations);
        var database = new SoarDatabase(options, migrations); // reopened: nothing applied twice
        using var connection = database.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM t";
        Assert.Equal(1L, count.ExecuteScalar());
        Assert.True(File.Exists(Path.Combine(_dir, "soar.db")));
    }

    [Fact]
    public void TwoMigrationsWithOneIdAreRefused() =>
        Assert.Throws<InvalidOperationException>(() => new SoarDatabase(new SoarDatabaseOptions { DataDir = _dir },
            [new Migration("x", "SELECT 1"), new Migration("x", "SELECT 2")]));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
