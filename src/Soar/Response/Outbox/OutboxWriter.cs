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
    OutboxSignal signal,
    OutboxConnection shared,
    PendingIntel pendingIntel) : IIncidentTransactionParticipant
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
            wrote = true;
            if (change.Kind is IncidentChangeKind.Updated or IncidentChangeKind.Resolved
                && JoinPending(connection, transaction, responder.Name, reference, kind, payload, now))
                continue;
            Insert(connection, transaction, responder.Name, change.Incident.Id, reference, kind, payload, now);
        }
        // Woken early, the dispatcher may look before the commit; it looks again shortly after.
        if (wrote) signal.Notify();
    }

    /// <summary>
    /// Threat intel on <paramref name="ip"/> arrived after a card went out without it (the lookup was pending):
    /// every incident of that address gets an update carrying its latest snapshot, for each responder
    /// that takes updates; the delivery looks the intel up again and finds it. Wire it to
    /// <c>IThreatIntel.ReportReady</c>. Returns the number of notifications written or refreshed.
    /// </summary>
    public int RefreshIntel(string ip)
    {
        if (!pendingIntel.TryTake(ip)) return 0; // every card of this address already had its intel
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var written = 0;
        using (shared.Enter(out var connection))
        {
            using var transaction = connection.BeginTransaction();
            var latest = new List<(string Responder, long IncidentId, string Reference, string Payload)>();
            using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = """
                    SELECT o.responder, o.incident_id, o.incident_ref, o.payload FROM outbox o
                     WHERE instr(o.incident_ref, $needle) > 0
                       AND o.id = (SELECT max(p.id) FROM outbox p WHERE p.responder = o.responder AND p.incident_ref = o.incident_ref)
                    """;
                select.Parameters.AddWithValue("$needle", $"|src_ip={ip}|");
                using var reader = select.ExecuteReader();
                while (reader.Read()) latest.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3)));
            }
            foreach (var (responder, incidentId, reference, payload) in latest)
            {
                if (!_routes.Any(r => r.Responder.Name == responder && r.Responder.Accepts(IncidentChangeKind.Updated))) continue;
                if (!JoinPending(connection, transaction, responder, reference, "updated", payload, now))
                    Insert(connection, transaction, responder, incidentId, reference, "updated", payload, now);
                written++;
            }
            transaction.Commit();
        }
        if (written > 0) signal.Notify();
        return written;
    }

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, string responder, long incidentId,
        string reference, string kind, string payload, long now)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO outbox (responder, incident_id, incident_ref, kind, payload, state, attempts,
                                created_at, next_attempt_at, updated_at)
            VALUES ($responder, $incident, $ref, $kind, $payload, 'pending', 0, $now, $now, $now)
            """;
        insert.Parameters.AddWithValue("$responder", responder);
        insert.Parameters.AddWithValue("$incident", incidentId);
        insert.Parameters.AddWithValue("$ref", reference);
        insert.Parameters.AddWithValue("$kind", kind);
        insert.Parameters.AddWithValue("$payload", payload);
        insert.Parameters.AddWithValue("$now", now);
        insert.ExecuteNonQuery();
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
