using Soar.Storage.Sqlite;

namespace Soar.Response.Discord;

/// <summary>The Discord messages Soar posted for an incident, so that later changes edit them.</summary>
public sealed class DiscordMessagesMigration : ISchemaMigration
{
    public string Id => "0201-discord-messages";

    public string Sql => """
        CREATE TABLE discord_messages (
            webhook_id   TEXT    NOT NULL,
            message_id   TEXT    NOT NULL,
            incident_ref TEXT    NOT NULL,
            channel_id   TEXT,
            guild_id     TEXT,
            severity     INTEGER NOT NULL,
            posted_at    INTEGER NOT NULL,
            last_edit_at INTEGER NOT NULL,
            superseded   INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (webhook_id, message_id)
        );
        CREATE INDEX discord_messages_incident ON discord_messages (webhook_id, incident_ref);
        """;
}

/// <summary>One posted card. <see cref="LastEditAt"/> is the posting time until the first edit.</summary>
public sealed record PostedCard(string MessageId, string? ChannelId, string? GuildId, int Severity,
    DateTimeOffset LastEditAt, bool Superseded)
{
    /// <summary>A link that opens the message in Discord, when the guild is known.</summary>
    public string? JumpLink => GuildId is null || ChannelId is null
        ? null
        : $"https://discord.com/channels/{GuildId}/{ChannelId}/{MessageId}";
}

public sealed class DiscordMessageStore(Outbox.OutboxConnection shared)
{
    /// <summary>The cards of an incident, oldest first.</summary>
    public IReadOnlyList<PostedCard> Cards(string webhookId, string incidentRef)
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT message_id, channel_id, guild_id, severity, last_edit_at, superseded FROM discord_messages
             WHERE webhook_id = $webhook AND incident_ref = $ref ORDER BY posted_at, rowid
            """;
        command.Parameters.AddWithValue("$webhook", webhookId);
        command.Parameters.AddWithValue("$ref", incidentRef);
        using var reader = command.ExecuteReader();
        var cards = new List<PostedCard>();
        while (reader.Read())
            cards.Add(new PostedCard(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), reader.GetInt64(5) != 0));
        return cards;
    }

    public void Add(string webhookId, string incidentRef, PostedCard card, DateTimeOffset postedAt)
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO discord_messages
                (webhook_id, message_id, incident_ref, channel_id, guild_id, severity, posted_at, last_edit_at, superseded)
            VALUES ($webhook, $message, $ref, $channel, $guild, $severity, $at, $at, 0)
            """;
        command.Parameters.AddWithValue("$webhook", webhookId);
        command.Parameters.AddWithValue("$message", card.MessageId);
        command.Parameters.AddWithValue("$ref", incidentRef);
        command.Parameters.AddWithValue("$channel", (object?)card.ChannelId ?? DBNull.Value);
        command.Parameters.AddWithValue("$guild", (object?)card.GuildId ?? DBNull.Value);
        command.Parameters.AddWithValue("$severity", card.Severity);
        command.Parameters.AddWithValue("$at", postedAt.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    public void Edited(string webhookId, string messageId, DateTimeOffset at, bool superseded = false) =>
        Execute("UPDATE discord_messages SET last_edit_at = $at, superseded = max(superseded, $superseded) WHERE webhook_id = $webhook AND message_id = $message",
            webhookId, messageId, at, superseded);

    /// <summary>Someone deleted the message in Discord: the next change posts a new card.</summary>
    public void Forget(string webhookId, string messageId) =>
        Execute("DELETE FROM discord_messages WHERE webhook_id = $webhook AND message_id = $message",
            webhookId, messageId, DateTimeOffset.UnixEpoch, false);

    private void Execute(string sql, string webhookId, string messageId, DateTimeOffset at, bool superseded)
    {
        using var scope = shared.Enter(out var connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$webhook", webhookId);
        command.Parameters.AddWithValue("$message", messageId);
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$superseded", superseded ? 1 : 0);
        command.ExecuteNonQuery();
    }
}
