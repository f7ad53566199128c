using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Soar.Events;

namespace Soar.Storage.Sqlite;

/// <summary>
/// Incidents in SQLite: each change updates the incident's row, and every registered
/// <see cref="IIncidentTransactionParticipant"/> (the outbox) writes its rows in the same
/// transaction. The audit trail keeps the incident's lifecycle (opened, a new finding, escalated,
/// resolved, and from the dispatcher notified or delivery failed), not every attempt: those are
/// the bulk of changes, and the incident row has their sum. Open incidents are reloaded at start
/// so that detection goes on updating them. Writes share one connection; reads open their own.
/// </summary>
public sealed class IncidentStore : IIncidentQueries, IIncidentRecorder, IDisposable
{
    /// <summary>The schema the store needs, for every composition that opens it.</summary>
    public static IReadOnlyList<ISchemaMigration> Migrations { get; } = [new IncidentStoreMigration(), new IncidentAuditRetentionMigration(), new IncidentIntelSeverityMigration()];

    private readonly SoarDatabase _database;
    private readonly IReadOnlyList<IIncidentTransactionParticipant> _participants;
    private readonly IReadOnlyList<IIncidentChangeObserver> _observers;
    private readonly TimeProvider _clock;
    private readonly Lock _writeLock = new();
    private SqliteConnection? _writer;

    public IncidentStore(SoarDatabase database, IEnumerable<IIncidentTransactionParticipant> participants, TimeProvider clock,
        IEnumerable<IIncidentChangeObserver>? observers = null)
    {
        _database = database;
        _participants = participants.ToList();
        _clock = clock;
        _observers = observers?.ToList() ?? [];
    }

    public void Record(IncidentChange change)
    {
        lock (_writeLock)
        {
            var connection = _writer ??= _database.Open();
            using var transaction = connection.BeginTransaction();
            var incident = change.Incident;
            using (var upsert = connection.CreateCommand())
            {
                upsert.Transaction = transaction;
                // Detection knows nothing of intel: a severity intel raised stays, and comes back to go on
                // with the change (to the outbox, the audit) as part of the incident.
                upsert.CommandText = $"""
                    INSERT INTO incidents (id, key_field, key_value, status, severity, attempts, first_seen, last_seen,
                                           opened_at, rules, findings, users, hosts)
                    VALUES ($id, $field, $value, $status, $severity, $attempts, $first, $last, $opened, $rules, $findings,
                            $users, $hosts)
                    ON CONFLICT (id) DO UPDATE SET status = $status, attempts = $attempts,
                        severity = CASE WHEN {Rank("intel_severity")} > {Rank("$severity")} THEN intel_severity ELSE $severity END,
                        first_seen = $first, last_seen = $last, rules = $rules, findings = $findings, users = $users,
                        hosts = $hosts
                    RETURNING intel_severity, intel_reason
                    """;
                upsert.Parameters.AddWithValue("$id", incident.Id);
                upsert.Parameters.AddWithValue("$field", incident.Key.Field);
                upsert.Parameters.AddWithValue("$value", incident.Key.Value);
                upsert.Parameters.AddWithValue("$status", StatusName(incident.Status));
                upsert.Parameters.AddWithValue("$severity", incident.Severity.Name());
                upsert.Parameters.AddWithValue("$attempts", incident.Attempts);
                upsert.Parameters.AddWithValue("$first", Time(incident.FirstSeen));
                upsert.Parameters.AddWithValue("$last", Time(incident.LastSeen));
                upsert.Parameters.AddWithValue("$opened", Time(incident.OpenedAt));
                upsert.Parameters.AddWithValue("$rules", "," + string.Join(",", incident.Findings.Select(f => f.Rule)) + ",");
                upsert.Parameters.AddWithValue("$findings", JsonSerializer.Serialize(incident.Findings.Select(StoredFinding.From)));
                upsert.Parameters.AddWithValue("$users", JsonSerializer.Serialize(incident.Users));
                upsert.Parameters.AddWithValue("$hosts", JsonSerializer.Serialize(incident.Hosts));
                using var stored = upsert.ExecuteReader();
                if (stored.Read() && !stored.IsDBNull(0) && SeverityNames.TryParse(stored.GetString(0), out var raised))
                {
                    incident = incident with { IntelSeverity = raised, IntelReason = stored.IsDBNull(1) ? null : stored.GetString(1) };
                    change = change with { Incident = incident };
                }
            }
            if (AuditName(change) is { } name)
            {
                InsertAudit(connection, transaction, incident.Id, change.Time, name, incident.Severity, change.Detail.Length > 0
                    ? change.Detail
                    : string.Create(CultureInfo.InvariantCulture, $"{name}: {incident.Attempts} attempts, last seen {Time(incident.LastSeen)}"));
            }
            foreach (var participant in _participants) participant.OnIncidentChange(connection, transaction, change);
            transaction.Commit();
            foreach (var observer in _observers) observer.OnRecorded(change);
        }
    }

    /// <summary>
    /// Threat intel raised an open incident's severity (the severity policy on its verdict): the store keeps
    /// it with the reason, adds an <c>escalated</c> audit entry, and hands the participants (the outbox) one
    /// <see cref="IncidentChangeKind.Escalated"/> change, in one transaction. False, and nothing written, when
    /// the incident is not open or already that severe: however many deliveries notice the raise, it happens once.
    /// </summary>
    public bool RaiseSeverity(long incidentId, Severity severity, string reason)
    {
        lock (_writeLock)
        {
            var connection = _writer ??= _database.Open();
            using var transaction = connection.BeginTransaction();
            using var select = connection.CreateCommand();
            select.Transaction = transaction;
            select.CommandText = $"SELECT {Columns} FROM incidents WHERE id = $id AND status = 'open'";
            select.Parameters.AddWithValue("$id", incidentId);
            if (ReadIncidents(select) is not [var incident] || incident.Severity >= severity) return false;

            using (var update = connection.CreateCommand())
            {
                update.Transaction = transaction;
                update.CommandText = "UPDATE incidents SET severity = $severity, intel_severity = $severity, intel_reason = $reason WHERE id = $id";
                update.Parameters.AddWithValue("$id", incidentId);
                update.Parameters.AddWithValue("$severity", severity.Name());
                update.Parameters.AddWithValue("$reason", reason);
                update.ExecuteNonQuery();
            }
            var change = new IncidentChange(IncidentChangeKind.Escalated,
                incident with { IntelSeverity = severity, IntelReason = reason },
                $"escalated {incident.Severity.Name()} → {severity.Name()} by threat intel: {reason}", incident.LastSeen);
            InsertAudit(connection, transaction, incidentId, change.Time, "escalated", severity, change.Detail);
            foreach (var participant in _participants) participant.OnIncidentChange(connection, transaction, change);
            transaction.Commit();
            foreach (var observer in _observers) observer.OnRecorded(change);
            return true;
        }
    }

    /// <summary>The open incident of an attacker key, if there is one.</summary>
    public Incident? FindOpen(IncidentKey key)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM incidents WHERE key_field = $field AND key_value = $value AND status = 'open'";
        command.Parameters.AddWithValue("$field", key.Field);
        command.Parameters.AddWithValue("$value", key.Value);
        return ReadIncidents(command) is [var incident] ? incident : null;
    }

    /// <summary>
    /// A notification about an incident was delivered, or failed for good: an audit entry, outside any
    /// incident change. <paramref name="at"/> is the event time of the change it was about.
    /// </summary>
    public void RecordNotification(long incidentId, DateTimeOffset at, bool delivered, Severity severity, string detail)
    {
        lock (_writeLock)
        {
            var connection = _writer ??= _database.Open();
            InsertAudit(connection, null, incidentId, at, delivered ? "notified" : "delivery_failed", severity, detail);
        }
    }

    /// <summary>Removes the audit entries recorded before <paramref name="recordedBefore"/>; returns how many.</summary>
    public int PurgeAudit(DateTimeOffset recordedBefore)
    {
        lock (_writeLock)
        {
            var connection = _writer ??= _database.Open();
            using var purge = connection.CreateCommand();
            purge.CommandText = "DELETE FROM incident_audit WHERE recorded_at < $before";
            purge.Parameters.AddWithValue("$before", Time(recordedBefore));
            return purge.ExecuteNonQuery();
        }
    }

    /// <summary>The open incidents and the next free id: what detection restores at start.</summary>
    public (IReadOnlyList<Incident> Open, long NextId) LoadOpen()
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM incidents WHERE status = 'open' ORDER BY id";
        // Detection goes on from what it found itself; the store re-applies an intel raise on every change.
        var open = ReadIncidents(command).Select(i => i with { IntelSeverity = null, IntelReason = null }).ToList();
        using var max = connection.CreateCommand();
        max.CommandText = "SELECT COALESCE(MAX(id), 0) + 1 FROM incidents";
        return (open, (long)max.ExecuteScalar()!);
    }

    public IReadOnlyList<Incident> List(IncidentFilter filter)
    {
        var where = new List<string>();
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        if (filter.Status is { } status)
        {
            where.Add("status = $status");
            command.Parameters.AddWithValue("$status", StatusName(status));
        }
        if (filter.Severity is { } severity)
        {
            where.Add("severity = $severity");
            command.Parameters.AddWithValue("$severity", severity.Name());
        }
        if (filter.Rule is { Length: > 0 } rule)
        {
            where.Add("instr(rules, $rule) > 0");
            command.Parameters.AddWithValue("$rule", "," + rule + ",");
        }
        if (filter.Since is { } since)
        {
            where.Add("last_seen >= $since");
            command.Parameters.AddWithValue("$since", Time(since));
        }
        command.CommandText = $"SELECT {Columns} FROM incidents"
                              + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
                              + " ORDER BY last_seen DESC, id DESC LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", Math.Clamp(filter.Limit, 1, 1000));
        command.Parameters.AddWithValue("$offset", Math.Max(filter.Offset, 0));
        return ReadIncidents(command);
    }

    public IncidentDetails? Get(long id)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM incidents WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        if (ReadIncidents(command) is not [var incident]) return null;

        using var audit = connection.CreateCommand();
        audit.CommandText = "SELECT id, at, recorded_at, change, severity, detail FROM incident_audit WHERE incident_id = $id ORDER BY id";
        audit.Parameters.AddWithValue("$id", id);
        var entries = new List<IncidentAuditEntry>();
        using var reader = audit.ExecuteReader();
        while (reader.Read())
        {
            SeverityNames.TryParse(reader.GetString(4), out var severity);
            entries.Add(new IncidentAuditEntry(reader.GetInt64(0), id, ParseTime(reader.GetString(1)),
                ParseTime(reader.GetString(2)), reader.GetString(3), severity, reader.GetString(5)));
        }
        return new IncidentDetails(incident, entries);
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private const string Columns =
        "id, key_field, key_value, status, attempts, first_seen, last_seen, opened_at, findings, users, hosts, intel_severity, intel_reason";

    /// <summary>The order of severities in SQL, for the names stored as text.</summary>
    private static string Rank(string expression) =>
        $"(CASE {expression} WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4 ELSE 0 END)";

    private static List<Incident> ReadIncidents(SqliteCommand command)
    {
        var incidents = new List<Incident>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            incidents.Add(new Incident
            {
                Id = reader.GetInt64(0),
                Key = new IncidentKey(reader.GetString(1), reader.GetString(2)),
                Status = reader.GetString(3) == "open" ? IncidentStatus.Open : IncidentStatus.Resolved,
                Attempts = reader.GetInt32(4),
                FirstSeen = ParseTime(reader.GetString(5)),
                LastSeen = ParseTime(reader.GetString(6)),
                OpenedAt = ParseTime(reader.GetString(7)),
                Findings = [.. (JsonSerializer.Deserialize<StoredFinding[]>(reader.GetString(8)) ?? []).Select(f => f.ToFinding())],
                Users = JsonSerializer.Deserialize<string[]>(reader.GetString(9)) ?? [],
                Hosts = JsonSerializer.Deserialize<string[]>(reader.GetString(10)) ?? [],
                IntelSeverity = !reader.IsDBNull(11) && SeverityNames.TryParse(reader.GetString(11), out var raised) ? raised : null,
                IntelReason = reader.IsDBNull(12) ? null : reader.GetString(12),
            });
        }
        return incidents;
    }

    internal static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);

    private static string StatusName(IncidentStatus status) => status == IncidentStatus.Open ? "open" : "resolved";

    /// <summary>The lifecycle name of a change, or null for a plain update (one more attempt): the detector
    /// gives those no detail, and a new finding always has one.</summary>
    private static string? AuditName(IncidentChange change) => change.Kind switch
    {
        IncidentChangeKind.Opened => "opened",
        IncidentChangeKind.Escalated => "escalated",
        IncidentChangeKind.Resolved => "resolved",
        _ => change.Detail.Length > 0 ? "finding" : null,
    };

    private void InsertAudit(SqliteConnection connection, SqliteTransaction? transaction, long incidentId, DateTimeOffset at,
        string change, Severity severity, string detail)
    {
        using var audit = connection.CreateCommand();
        audit.Transaction = transaction;
        audit.CommandText = """
            INSERT INTO incident_audit (incident_id, at, recorded_at, change, severity, detail)
            VALUES ($id, $at, $recorded, $change, $severity, $detail)
            """;
        audit.Parameters.AddWithValue("$id", incidentId);
        audit.Parameters.AddWithValue("$at", Time(at));
        audit.Parameters.AddWithValue("$recorded", Time(_clock.GetUtcNow()));
        audit.Parameters.AddWithValue("$change", change);
        audit.Parameters.AddWithValue("$severity", severity.Name());
        audit.Parameters.AddWithValue("$detail", detail);
        audit.ExecuteNonQuery();
    }

    private sealed record StoredFinding(string Rule, string Title, string Severity, int Count, string FirstSeen,
        string LastSeen, string Reason)
    {
        public static StoredFinding From(Finding f) =>
            new(f.Rule, f.Title, f.Severity.Name(), f.Count, Time(f.FirstSeen), Time(f.LastSeen), f.Reason);

        public Finding ToFinding()
        {
            SeverityNames.TryParse(Severity, out var severity);
            return new Finding(Rule, Title, severity, Count, ParseTime(FirstSeen), ParseTime(LastSeen), Reason);
        }
    }
}
