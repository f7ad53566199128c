using Soar.Storage.Sqlite;

namespace Soar.Enrichment.VirusTotal;

/// <summary>The cache table and the call log, in the Soar database.</summary>
public sealed class VirusTotalCacheMigration : ISchemaMigration
{
    public string Id => "0300-virustotal-cache";

    public string Sql => """
        CREATE TABLE virustotal_cache (
            ip         TEXT PRIMARY KEY,
            status     TEXT NOT NULL CHECK (status IN ('found', 'not_found')),
            body       TEXT,
            fetched_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        );
        CREATE INDEX virustotal_cache_expires_at ON virustotal_cache (expires_at);
        CREATE TABLE virustotal_calls (at INTEGER NOT NULL);
        CREATE INDEX virustotal_calls_at ON virustotal_calls (at);
        """;
}

/// <summary>What the cache holds for one address.</summary>
public sealed record CachedLookup(string Ip, bool Found, string? Body, DateTimeOffset FetchedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The persistent per-IP cache of VirusTotal answers, so that a restart spends no quota again;
/// and the log of calls made in the last day, so that a restart does not reset the budget either.
/// Found reports are kept as VirusTotal's JSON and mapped when read, so a richer report later
/// needs no migration. Times are Unix milliseconds.
/// </summary>
public sealed class VirusTotalCache(SoarDatabase database)
{
    public CachedLookup? Get(string ip, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, body, fetched_at, expires_at FROM virustotal_cache WHERE ip = $ip AND expires_at > $now";
        command.Parameters.AddWithValue("$ip", ip);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return new CachedLookup(ip, reader.GetString(0) == "found", reader.IsDBNull(1) ? null : reader.GetString(1),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
    }

    /// <summary>Stores an answer, and drops the entries that have expired by its time.</summary>
    public void Put(CachedLookup entry)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO virustotal_cache (ip, status, body, fetched_at, expires_at) VALUES ($ip, $status, $body, $fetched, $expires)
            ON CONFLICT (ip) DO UPDATE SET status = excluded.status, body = excluded.body,
                fetched_at = excluded.fetched_at, expires_at = excluded.expires_at;
            DELETE FROM virustotal_cache WHERE expires_at <= $fetched;
            """;
        command.Parameters.AddWithValue("$ip", entry.Ip);
        command.Parameters.AddWithValue("$status", entry.Found ? "found" : "not_found");
        command.Parameters.AddWithValue("$body", (object?)entry.Body ?? DBNull.Value);
        command.Parameters.AddWithValue("$fetched", entry.FetchedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", entry.ExpiresAt.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    /// <summary>Calls made since <paramref name="since"/>; older ones are deleted on the way.</summary>
    public IReadOnlyList<DateTimeOffset> CallsSince(DateTimeOffset since)
    {
        using var connection = database.Open();
        using (var prune = connection.CreateCommand())
        {
            prune.CommandText = "DELETE FROM virustotal_calls WHERE at <= $since";
            prune.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
            prune.ExecuteNonQuery();
        }
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT at FROM virustotal_calls ORDER BY at";
        using var reader = command.ExecuteReader();
        var calls = new List<DateTimeOffset>();
        while (reader.Read()) calls.Add(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)));
        return calls;
    }

    public void RecordCall(DateTimeOffset at)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        // Only the last day counts: older calls go as new ones come.
        command.CommandText = "INSERT INTO virustotal_calls (at) VALUES ($at); DELETE FROM virustotal_calls WHERE at <= $at - 86400000";
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }
}
