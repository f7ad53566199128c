using System.Diagnostics.CodeAnalysis;

namespace Soar.Response.Discord;

/// <summary>
/// A webhook URL, taken apart. The token is the credential: <see cref="ToString"/> and
/// <see cref="Display"/> leave it out, so the object can be logged safely.
/// </summary>
public sealed class DiscordWebhook
{
    private readonly string _baseUrl; // …/webhooks/{id}/{token}, no query
    private readonly string _query;   // e.g. thread_id=…, without '?'

    private DiscordWebhook(string baseUrl, string query, string id)
    {
        _baseUrl = baseUrl;
        _query = query;
        Id = id;
    }

    public string Id { get; }

    /// <summary>Safe to log: the id without the token.</summary>
    public string Display => $"discord webhook {Id}";

    public Uri ExecuteUri => new($"{_baseUrl}?wait=true{(_query.Length > 0 ? "&" + _query : "")}");

    public Uri MessageUri(string messageId) =>
        new($"{_baseUrl}/messages/{Uri.EscapeDataString(messageId)}{(_query.Length > 0 ? "?" + _query : "")}");

    public override string ToString() => Display;

    public static bool TryParse(string? url, [NotNullWhen(true)] out DiscordWebhook? webhook)
    {
        webhook = null;
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")) return false;
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.LastIndexOf(segments, "webhooks");
        if (at < 0 || segments.Length != at + 3) return false;
        var (id, token) = (segments[at + 1], segments[at + 2]);
        if (!id.All(char.IsAsciiDigit) || token.Length == 0) return false;
        // Keep a thread_id; drop wait (we set it).
        var query = string.Join('&', uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("wait=", StringComparison.OrdinalIgnoreCase)));
        webhook = new DiscordWebhook(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'), query, id);
        return true;
    }
}
