using Soar.Storage.Sqlite;

namespace Soar.Response.Outbox;

/// <summary>
/// The outbox table: one row per (responder, incident change) to deliver. <c>incident_ref</c>
/// identifies an incident across restarts (id, key and opening time), since ids are not yet durable.
/// Times are Unix milliseconds.
/// </summary>
public sealed class OutboxMigration : ISchemaMigration
{
    public string Id => "0200-outbox";

    public string Sql => """
        CREATE TABLE outbox (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            responder       TEXT    NOT NULL,
            incident_id     INTEGER NOT NULL,
            incident_ref    TEXT    NOT NULL,
            kind            TEXT    NOT NULL,
            payload         TEXT    NOT NULL,
            state           TEXT    NOT NULL CHECK (state IN ('pending', 'in_flight', 'delivered', 'failed')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            created_at      INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            updated_at      INTEGER NOT NULL,
            last_error      TEXT
        );
        CREATE INDEX outbox_due ON outbox (responder, state, next_attempt_at);
        CREATE INDEX outbox_incident ON outbox (responder, incident_ref, state);
        """;
}
