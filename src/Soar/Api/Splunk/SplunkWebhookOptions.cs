using Soar.Detection.Rules;
using Soar.Events;

namespace Soar.Api.Splunk;

/// <summary>The Splunk webhook intake (config section <c>Splunk</c>).</summary>
public sealed class SplunkWebhookOptions
{
    /// <summary>The secret in the webhook URL (env <c>SOAR_WEBHOOK_TOKEN</c>). Without it the endpoint is disabled.</summary>
    public string? WebhookToken { get; set; }

    /// <summary>Severity of an alert whose result carries no <c>severity</c> field.</summary>
    public string DefaultSeverity { get; set; } = "high";

    /// <summary>Largest body accepted; Splunk sends one result row, far smaller.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    public bool IsEnabled => !string.IsNullOrEmpty(WebhookToken);

    public Severity ParsedDefaultSeverity =>
        SeverityNames.TryParse(DefaultSeverity, out var severity) ? severity : Severity.High;

    public void Validate()
    {
        if (!SeverityNames.TryParse(DefaultSeverity, out _))
            throw new ArgumentException(
                $"Splunk:DefaultSeverity '{DefaultSeverity}' is not one of low, medium, high, critical.");
        if (MaxBodyBytes < 1024) throw new ArgumentException("Splunk:MaxBodyBytes must be at least 1024.");
        if (string.Equals(WebhookToken, SplunkSavedSearches.PlaceholderToken, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException(
                "Splunk:WebhookToken (SOAR_WEBHOOK_TOKEN) is still the placeholder of .env.example: set your own, e.g. `openssl rand -hex 24`.");
        if (WebhookToken is { Length: > 0 and < 16 })
            throw new ArgumentException("Splunk:WebhookToken (SOAR_WEBHOOK_TOKEN) must be at least 16 characters.");
        if (WebhookToken is { } token && token.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')))
            throw new ArgumentException(
                "Splunk:WebhookToken (SOAR_WEBHOOK_TOKEN) may hold only letters, digits, '-', '_', '.' and '~' (it is part of a URL).");
    }
}
