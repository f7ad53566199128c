namespace Soar.Response.Webhook;

/// <summary>Configuration section <c>Response:Webhook</c>: POST each notification as JSON to a URL (a secret:
/// it may hold a token).</summary>
public sealed class JsonWebhookOptions
{
    public string? Url { get; set; }

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    public Uri Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException("Response:Webhook:Url must be an absolute http or https URL.");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("Response:Webhook:RequestTimeout must be positive.");
        return uri;
    }
}
