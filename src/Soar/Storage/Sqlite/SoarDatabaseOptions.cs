namespace Soar.Storage.Sqlite;

public sealed class SoarDatabaseOptions
{
    /// <summary>The data directory; the database is <c>soar.db</c> inside it.</summary>
    public string DataDir { get; set; } = "data";

    public string DatabasePath => Path.Combine(DataDir, "soar.db");
}
