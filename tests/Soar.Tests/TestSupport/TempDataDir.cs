using Microsoft.Data.Sqlite;

namespace Soar.Tests.TestSupport;

/// <summary>A throw-away data directory (the SQLite database lives there), deleted on dispose.</summary>
public sealed class TempDataDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("soar-test-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
