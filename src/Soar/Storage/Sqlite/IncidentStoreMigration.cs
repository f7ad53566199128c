namespace Soar.Storage.Sqlite;

/// <summary>The incidents and their audit trail. Times are UTC text (ISO 8601, fixed width), so they sort as text.</summary>
public sealed class IncidentStoreMigration : ISchemaMigration
{
    public string Id => "0100-incidents";

    public string Sql => """
        CREATE TABLE incidents (
            id              INTEGER PRIMARY KEY,
            key_field       TEXT NOT NULL,
            key_value       TEXT NOT NULL,
            status          TEXT NOT NULL,
            severity        TEXT NOT NULL,
            attempts        INTEGER NOT NULL,
            first_seen      TEXT NOT NULL,
            last_seen       TEXT NOT NULL,
            opened_at       TEXT NOT NULL,
            rules           TEXT NOT NULL,  -- ",rule-a,rule-b," for filtering
            findings        TEXT NOT NULL,  -- JSON
            users           TEXT NOT NULL,  -- JSON array
            hosts           TEXT NOT NULL   -- JSON array
        );
        CREATE INDEX ix_incidents_last_seen ON incidents (last_seen);
        CREATE UNIQUE INDEX ux_incidents_open_key ON incidents (key_field, key_value) WHERE status = 'open';
        CREATE TABLE incident_audit (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            incident_id     INTEGER NOT NULL REFERENCES incidents (id),
            at              TEXT NOT NULL,
            recorded_at     TEXT NOT NULL,
            change          TEXT NOT NULL,
            severity        TEXT NOT NULL,
            detail          TEXT NOT NULL
        );
        CREATE INDEX ix_incident_audit_incident ON incident_audit (incident_id, id);
        """;
}

/// <summary>The audit retention purge deletes by the time an entry was recorded.</summary>
public sealed class IncidentAuditRetentionMigration : ISchemaMigration
{
    public string Id => "0110-incident-audit-recorded-at";

    public string Sql => "CREATE INDEX ix_incident_audit_recorded_at ON incident_audit (recorded_at);";
}

/// <summary>The severity threat intel raised an incident to, and why (null when it raised nothing).</summary>
public sealed class IncidentIntelSeverityMigration : ISchemaMigration
{
    public string Id => "0120-incident-intel-severity";

    public string Sql => """
        ALTER TABLE incidents ADD COLUMN intel_severity TEXT;
        ALTER TABLE incidents ADD COLUMN intel_reason TEXT;
        """;
}
