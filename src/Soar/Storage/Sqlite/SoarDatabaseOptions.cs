namespace Soar.Storage.Sqlite;

public sealed class SoarDatabaseOptions
{
    /// <summary>The data directory; the database is <c>soar.db</c> inside it.</summary>
    public required string DataDir { get; init; }

    public string DatabasePath => Path.Combine(DataDir, "soar.db");
}
