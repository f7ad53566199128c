using Microsoft.Data.Sqlite;
using Soar.Events;
using Soar.Response.Routing;
using Soar.Storage.Sqlite;

namespace Soar.Response.Outbox;

/// <summary>
/// Writes the notification rows of an incident change, one per responder whose route takes it,
/// inside the transaction of the change: a notification exists if and only if its change was
/// committed. An update joins a row still pending for the same incident instead of adding one,
/// so a long attack leaves one pending edit, carrying the latest snapshot.
/// </summary>
public sealed class OutboxWriter(
    IEnumerable<IOutboxResponder> responders,
    ResponseOptions options,
    TimeProvider time,
    OutboxSignal signal) : IIncidentTransactionParticipant
{
    private readonly IReadOnlyList<(IOutboxResponder Responder, ResponseRoute Route)> _routes =
        responders.Select(r => (r, options.RouteFor(r.Name))).ToList();

    public void OnIncidentChange(SqliteConnection connection, SqliteTransaction transaction, IncidentChange change)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        string? payload = null;
        var reference = IncidentSnapshotJson.Reference(change.Incident);
        var kind = IncidentSnapshotJson.KindName(change.Kind);
        var wrote = false;
        foreach (var (responder, route) in _routes)
        {
            if (!responder.Accepts(change.Kind) || !route.Matches(change.Incident)) continue;
            payload ??= IncidentSnapshotJson.Serialize(change.Incident);
            if (change.Kind is IncidentChangeKind.Updated or IncidentChangeKind.Resolved
                && JoinPending(connection, transaction, responder.Name, reference, kind, payload, now))
                continue;
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO outbox (responder, incident_id, incident_ref, kind, payload, state, attempts,
                                    created_at, next_attempt_at, updated_at)
                VALUES ($responder, $incident, $ref, $kind, $payload, 'pending', 0, $now, $now, $now)
                """;
            insert.Parameters.AddWithValue("$responder", responder.Name);
            insert.Parameters.AddWithValue("$incident", change.Incident.Id);
            insert.Parameters.AddWithValue("$ref", reference);
            insert.Parameters.AddWithValue("$kind", kind);
            insert.Parameters.AddWithValue("$payload", payload);
            insert.Parameters.AddWithValue("$now", now);
            insert.ExecuteNonQuery();
            wrote = true;
        }
        // Woken early, the dispatcher may look before the commit; it looks again shortly after.
        if (wrote) signal.Notify();
    }

    private static bool JoinPending(SqliteConnection connection, SqliteTransaction transaction, string responder,
        string reference, string kind, string payload, long now)
    {
        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = """
            UPDATE outbox
               SET payload = $payload, updated_at = $now,
                   kind = CASE WHEN kind = 'updated' THEN $kind ELSE kind END
             WHERE id = (SELECT id FROM outbox
                          WHERE responder = $responder AND incident_ref = $ref AND state = 'pending'
                          ORDER BY id DESC LIMIT 1)
            """;
        update.Parameters.AddWithValue("$payload", payload);
        update.Parameters.AddWithValue("$now", now);
        update.Parameters.AddWithValue("$kind", kind);
        update.Parameters.AddWithValue("$responder", responder);
        update.Parameters.AddWithValue("$ref", reference);
        return update.ExecuteNonQuery() > 0;
    }
}
