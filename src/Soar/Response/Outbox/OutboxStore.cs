using Microsoft.Data.Sqlite;
using Soar.Storage.Sqlite;

namespace Soar.Response.Outbox;

/// <summary>One outbox row, read for delivery.</summary>
public sealed record OutboxRow(
    long Id,
    string Responder,
    long IncidentId,
    string IncidentRef,
    string Kind,
    string Payload,
    OutboxState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    string? LastError);

/// <summary>
/// The dispatcher's side of the outbox table. A row is claimed (pending → in flight) only when
/// it is due and no earlier row of the same incident and responder is unfinished, so each
/// incident's notifications reach a responder in order.
/// </summary>
public sealed class OutboxStore(OutboxConnection shared)
{
    private const string Columns =
        "id, responder, incident_id, incident_ref, kind, payload, state, attempts, created_at, last_error";

    /// <summary>After a crash, rows that were in flight go back to pending: they are delivered again.</summary>
    public int RecoverInFlight(DateTimeOffset now)
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET state = 'pending', updated_at = $now WHERE state = 'in_flight'";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }

    /// <summary>Forgets delivered and failed rows last touched before <paramref name="before"/>.</summary>
    public int Purge(DateTimeOffset before)
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM outbox WHERE state IN ('delivered', 'failed') AND updated_at < $before";
        command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }

    public OutboxRow? ClaimNext(string responder, DateTimeOffset now)
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, updated_at = $now
             WHERE id = (SELECT o.id FROM outbox o
                          WHERE o.responder = $responder AND o.state = 'pending' AND o.next_attempt_at <= $now
                            AND NOT EXISTS (SELECT 1 FROM outbox p
                                             WHERE p.responder = o.responder AND p.incident_ref = o.incident_ref
                                               AND p.state IN ('pending', 'in_flight') AND p.id < o.id)
                          ORDER BY o.id LIMIT 1)
            RETURNING {Columns}
            """;
        command.Parameters.AddWithValue("$responder", responder);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>When the earliest pending row of a responder falls due, if any is pending.</summary>
    public DateTimeOffset? NextDue(string responder)
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT min(next_attempt_at) FROM outbox WHERE responder = $responder AND state = 'pending'";
        command.Parameters.AddWithValue("$responder", responder);
        return command.ExecuteScalar() is long at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null;
    }

    public void MarkDelivered(long id, DateTimeOffset now) => Finish(id, "delivered", null, now);

    public void MarkFailed(long id, string reason, DateTimeOffset now) => Finish(id, "failed", reason, now);

    /// <summary>Back to pending until <paramref name="notBefore"/>. A deferral is not an attempt.</summary>
    public void Reschedule(long id, DateTimeOffset notBefore, string reason, bool countsAsAttempt, DateTimeOffset now)
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE outbox SET state = 'pending', next_attempt_at = $at, last_error = $reason, updated_at = $now,
                              attempts = attempts - $uncount
             WHERE id = $id
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$at", notBefore.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$reason", reason);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$uncount", countsAsAttempt ? 0 : 1);
        command.ExecuteNonQuery();
    }

    /// <summary>Rows per state, for one responder or all.</summary>
    public IReadOnlyDictionary<OutboxState, long> CountByState(string? responder = null)
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, count(*) FROM outbox WHERE $responder IS NULL OR responder = $responder GROUP BY state";
        command.Parameters.AddWithValue("$responder", (object?)responder ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var counts = Enum.GetValues<OutboxState>().ToDictionary(s => s, _ => 0L);
        while (reader.Read()) counts[OutboxStateNames.Parse(reader.GetString(0))] = reader.GetInt64(1);
        return counts;
    }

    /// <summary>Per responder with any: the rows waiting for delivery (pending or in flight) and when the oldest was written.</summary>
    public IReadOnlyDictionary<string, (long Waiting, DateTimeOffset Oldest)> Backlog()
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT responder, count(*), min(created_at) FROM outbox WHERE state IN ('pending', 'in_flight') GROUP BY responder";
        using var reader = command.ExecuteReader();
        var backlog = new Dictionary<string, (long, DateTimeOffset)>(StringComparer.Ordinal);
        while (reader.Read())
            backlog[reader.GetString(0)] = (reader.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
        return backlog;
    }

    /// <summary>Every row, oldest first (for tests and diagnostics).</summary>
    public IReadOnlyList<OutboxRow> All()
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM outbox ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<OutboxRow>();
        while (reader.Read()) rows.Add(Read(reader));
        return rows;
    }

    private void Finish(long id, string state, string? reason, DateTimeOffset now)
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET state = $state, last_error = $reason, updated_at = $now WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$state", state);
        command.Parameters.AddWithValue("$reason", (object?)reason ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    private static OutboxRow Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetString(5),
        OutboxStateNames.Parse(r.GetString(6)), r.GetInt32(7),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)), r.IsDBNull(9) ? null : r.GetString(9));
}
