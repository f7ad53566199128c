namespace Soar.Response.Discord;

/// <summary>Configuration section <c>Discord</c>. <see cref="WebhookUrl"/> is a secret (env SOAR_DISCORD_WEBHOOK_URL).</summary>
public sealed class DiscordOptions
{
    /// <summary>https://discord.com/api/webhooks/{id}/{token}; without it, Discord is off.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The name cards are posted under.</summary>
    public string Username { get; set; } = "Soar";

    /// <summary>A role to mention on a new critical card (a snowflake id). Off unless set.</summary>
    public string? CriticalRoleId { get; set; }

    /// <summary>A card is edited at most once per this interval.</summary>
    public TimeSpan EditInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Our own ceiling, kept even when Discord sends no rate-limit headers: requests per window.</summary>
    public int MaxRequestsPerWindow { get; set; } = 5;

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(WebhookUrl);

    /// <summary>Checks every value; messages name the key and never repeat the URL.</summary>
    public DiscordWebhook Validate()
    {
        if (!DiscordWebhook.TryParse(WebhookUrl, out var webhook))
            throw new ArgumentException(
                "Discord:WebhookUrl (SOAR_DISCORD_WEBHOOK_URL) must look like https://discord.com/api/webhooks/{id}/{token}.");
        if (CriticalRoleId is not null && (CriticalRoleId.Length is 0 or > 20 || !CriticalRoleId.All(char.IsAsciiDigit)))
            throw new ArgumentException("Discord:CriticalRoleId must be a role id (digits only).");
        if (string.IsNullOrWhiteSpace(Username) || Username.Length > 80)
            throw new ArgumentException("Discord:Username must have 1 to 80 characters.");
        if (EditInterval < TimeSpan.Zero) throw new ArgumentException("Discord:EditInterval must not be negative.");
        if (MaxRequestsPerWindow < 1) throw new ArgumentException("Discord:MaxRequestsPerWindow must be at least 1.");
        if (RateWindow <= TimeSpan.Zero) throw new ArgumentException("Discord:RateWindow must be positive.");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("Discord:RequestTimeout must be positive.");
        return webhook!;
    }
}
