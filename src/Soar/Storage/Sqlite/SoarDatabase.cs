using Microsoft.Data.Sqlite;

namespace Soar.Storage.Sqlite;

/// <summary>
/// The SQLite file in the data directory. Opens connections in WAL mode (readers do not block
/// the writer) with a busy timeout, and applies the registered schema migrations.
/// </summary>
public sealed class SoarDatabase
{
    private readonly string _connectionString;
    private readonly IReadOnlyList<ISchemaMigration> _migrations;

    public SoarDatabase(SoarDatabaseOptions options, IEnumerable<ISchemaMigration> migrations)
    {
        Directory.CreateDirectory(options.DataDir);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _migrations = migrations.OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
        var duplicate = _migrations.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two schema migrations share the id '{duplicate.Key}'.");
        Migrate();
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private void Migrate()
    {
        using var connection = Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)";
            create.ExecuteNonQuery();
        }
        foreach (var migration in _migrations)
        {
            using var transaction = connection.BeginTransaction();
            using var check = connection.CreateCommand();
            check.Transaction = transaction;
            check.CommandText = "SELECT 1 FROM schema_migrations WHERE id = $id";
            check.Parameters.AddWithValue("$id", migration.Id);
            if (check.ExecuteScalar() is not null) continue;

            using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = migration.Sql;
            apply.ExecuteNonQuery();
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (id, applied_at) VALUES ($id, $at)";
            record.Parameters.AddWithValue("$id", migration.Id);
            record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
            record.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
