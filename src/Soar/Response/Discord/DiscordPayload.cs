using System.Text.Json.Serialization;

namespace Soar.Response.Discord;

/// <summary>The Execute Webhook / Edit Webhook Message body (only what Soar sends).</summary>
public sealed record DiscordMessage
{
    [JsonPropertyName("content")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Content { get; init; }

    [JsonPropertyName("username")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Username { get; init; }

    [JsonPropertyName("embeds")] public required IReadOnlyList<DiscordEmbed> Embeds { get; init; }

    [JsonPropertyName("allowed_mentions")] public required DiscordAllowedMentions AllowedMentions { get; init; }
}

public sealed record DiscordAllowedMentions
{
    /// <summary>Always empty: nothing in a card is parsed as a mention.</summary>
    [JsonPropertyName("parse")] public IReadOnlyList<string> Parse { get; init; } = [];

    /// <summary>The configured role, and only it, when a critical card mentions it explicitly.</summary>
    [JsonPropertyName("roles")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Roles { get; init; }

    public static readonly DiscordAllowedMentions None = new();
}

public sealed record DiscordEmbed
{
    [JsonPropertyName("title")] public required string Title { get; init; }

    [JsonPropertyName("description")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    [JsonPropertyName("url")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }

    [JsonPropertyName("color")] public int Color { get; init; }

    [JsonPropertyName("timestamp")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Timestamp { get; init; }

    [JsonPropertyName("fields")] public IReadOnlyList<DiscordField> Fields { get; init; } = [];

    [JsonPropertyName("footer")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DiscordFooter? Footer { get; init; }
}

public sealed record DiscordField(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("inline")] bool Inline = false);

public sealed record DiscordFooter([property: JsonPropertyName("text")] string Text);
