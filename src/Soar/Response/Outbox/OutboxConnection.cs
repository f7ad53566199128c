using Microsoft.Data.Sqlite;
using Soar.Storage.Sqlite;

namespace Soar.Response.Outbox;

/// <summary>
/// The response stage's one SQLite connection, used by one caller at a time. SQLite allows a
/// single writer anyway; a writer that finds it busy sleeps in SQLite's busy handler (steps of up
/// to 100 ms), which showed as a 90 ms p99 in notify-latency, and opening a connection per
/// statement re-runs the PRAGMAs. Waiting on this lock instead is instant.
/// </summary>
public sealed class OutboxConnection(SoarDatabase database) : IDisposable
{
    private readonly Lock _lock = new();
    private SqliteConnection? _connection;

    /// <summary>Holds the connection until the returned scope is disposed.</summary>
    public Lock.Scope Enter(out SqliteConnection connection)
    {
        var scope = _lock.EnterScope();
        try
        {
            connection = _connection ??= database.Open();
            return scope;
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }
}
