using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Soar.Events;
using Soar.Response.Outbox;

namespace Soar.Response.Discord;

/// <summary>
/// Posts incident cards to a Discord webhook and keeps them current: a new incident posts a card
/// (<c>?wait=true</c>, keeping the message id), later changes edit it (at most once per
/// <see cref="DiscordOptions.EditInterval"/>), an escalation posts a fresh card and edits the older
/// ones to point to it. Requests stay under the rate limits; 429 waits as Discord asks; 5xx and
/// timeouts are retried by the outbox; 401/403 and Unknown Webhook (10015) disable the responder.
/// The webhook token never leaves this class except in request URLs.
/// </summary>
public sealed class DiscordResponder : IOutboxResponder, IDisposable
{
    private const string PostRoute = "POST webhook";
    private const string EditRoute = "PATCH webhook message";
    private const int UnknownWebhook = 10015;
    private const int UnknownMessage = 10008;
    private static readonly TimeSpan LongestInlineWait = TimeSpan.FromSeconds(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly DiscordOptions _options;
    private readonly DiscordWebhook _webhook;
    private readonly DiscordMessageStore _cards;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly DiscordRateLimiter _limiter;

    public DiscordResponder(DiscordOptions options, DiscordMessageStore cards, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _options = options;
        _webhook = options.Validate();
        _cards = cards;
        _time = time;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = options.RequestTimeout,
        };
        _limiter = new DiscordRateLimiter(options.MaxRequestsPerWindow, options.RateWindow, time);
    }

    public string Name => "discord";

    public bool Accepts(IncidentChangeKind kind) => true;

    public async Task<DeliveryResult> DeliverAsync(Notification notification, CancellationToken cancellationToken)
    {
        var cards = _cards.Cards(_webhook.Id, notification.IncidentRef);
        var latest = cards.Count == 0 ? null : cards[^1];
        var severity = (int)notification.Assessment.Severity;

        var needsNewCard = latest is null
                           || (notification.Kind == IncidentChangeKind.Escalated && latest.Severity < severity);
        if (needsNewCard)
        {
            var message = IncidentCard.Build(notification, _time.GetUtcNow(), _options.CriticalRoleId, _options.Username);
            var posted = await SendAsync(HttpMethod.Post, _webhook.ExecuteUri, PostRoute, message, cancellationToken);
            if (posted.Result is not null) return posted.Result;
            if (posted.Message is not { } created) return DeliveryResult.Delivered; // 200 without a message: nothing to edit later
            latest = new PostedCard(created.Id, created.ChannelId, created.GuildId, severity, _time.GetUtcNow(), false);
            // Between Discord's 200 and this commit lies the only window for a duplicate card.
            _cards.Add(_webhook.Id, notification.IncidentRef, latest, _time.GetUtcNow());
            cards = [.. cards, latest];
        }
        else if (latest is not null)
        {
            // A re-delivered "opened" (after a crash) edits the card it already posted, without waiting.
            var due = latest.LastEditAt + _options.EditInterval;
            if (notification.Kind != IncidentChangeKind.Opened && notification.Kind != IncidentChangeKind.Escalated
                && _time.GetUtcNow() < due)
                return DeliveryResult.Defer("edit interval", due);
            var message = IncidentCard.Build(notification, _time.GetUtcNow(), null, null);
            var edited = await SendAsync(HttpMethod.Patch, _webhook.MessageUri(latest.MessageId), EditRoute, message, cancellationToken);
            if (edited.UnknownMessage)
            {
                _cards.Forget(_webhook.Id, latest.MessageId);
                return DeliveryResult.Defer("the card was deleted in Discord; posting a new one", _time.GetUtcNow());
            }
            if (edited.Result is not null) return edited.Result;
            _cards.Edited(_webhook.Id, latest.MessageId, _time.GetUtcNow());
        }

        // Older cards of an escalated incident point to the newest one.
        foreach (var old in cards.Where(c => !c.Superseded && c.MessageId != latest!.MessageId))
        {
            var pointer = IncidentCard.Superseded(notification, latest!.JumpLink);
            var edited = await SendAsync(HttpMethod.Patch, _webhook.MessageUri(old.MessageId), EditRoute, pointer, cancellationToken);
            if (edited.UnknownMessage)
            {
                _cards.Forget(_webhook.Id, old.MessageId);
                continue;
            }
            if (edited.Result is not null) return edited.Result;
            _cards.Edited(_webhook.Id, old.MessageId, _time.GetUtcNow(), superseded: true);
        }
        return DeliveryResult.Delivered;
    }

    private async Task<SendOutcome> SendAsync(HttpMethod method, Uri uri, string route, DiscordMessage message,
        CancellationToken cancellationToken)
    {
        var delay = _limiter.DelayFor(route);
        if (delay > LongestInlineWait) return new SendOutcome(DeliveryResult.Defer("rate limit", _time.GetUtcNow() + delay));
        if (delay > TimeSpan.Zero) await Task.Delay(delay, _time, cancellationToken);

        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(method, uri) { Content = JsonContent.Create(message) };
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(DeliveryResult.Retry("Discord did not answer in time", failure: DeliveryFailure.Network));
        }
        catch (HttpRequestException e)
        {
            // The message names the host at most, never the path with the token.
            return new SendOutcome(DeliveryResult.Retry($"Discord unreachable: {e.HttpRequestError}", failure: DeliveryFailure.Network));
        }
        finally
        {
            // Counted when the answer is in: Discord counted it at some point before, so the
            // window measured from here is never shorter than Discord's.
            _limiter.Sent(route);
        }

        using (response)
        {
            _limiter.Observe(route, response.Headers);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                if (response.StatusCode == HttpStatusCode.NoContent) return new SendOutcome(null);
                var created = await ReadAsync<CreatedMessage>(response, cancellationToken);
                return new SendOutcome(null) { Message = created?.Id is null ? null : created };
            }
            var error = await ReadAsync<DiscordError>(response, cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.TooManyRequests:
                    // The body's retry_after is the most precise; the headers say the same when it is missing.
                    var retryAfter = (error?.RetryAfter is { } seconds and >= 0 and < 86_400 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null)
                                     ?? DiscordRateLimiter.Seconds(DiscordRateLimiter.Header(response.Headers, "X-RateLimit-Reset-After"))
                                     ?? DiscordRateLimiter.Seconds(DiscordRateLimiter.Header(response.Headers, "Retry-After"))
                                     ?? TimeSpan.FromSeconds(1);
                    var until = _limiter.Limited(retryAfter);
                    return new SendOutcome(DeliveryResult.Defer($"rate limited by Discord{(error?.Global == true ? " (global)" : "")}", until,
                        DeliveryFailure.RateLimited));
                case HttpStatusCode.NotFound when error?.Code == UnknownMessage:
                    return new SendOutcome(null) { UnknownMessage = true };
                case HttpStatusCode.NotFound when error?.Code == UnknownWebhook || route == PostRoute:
                    return new SendOutcome(DeliveryResult.Disable($"Discord says the webhook is unknown ({UnknownWebhook}): it was deleted or its URL is wrong"));
                case HttpStatusCode.NotFound:
                    return new SendOutcome(null) { UnknownMessage = true };
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    return new SendOutcome(DeliveryResult.Disable($"Discord refused the webhook's credentials ({status})"));
                case HttpStatusCode.RequestTimeout:
                    return new SendOutcome(DeliveryResult.Retry($"Discord answered {status}", failure: DeliveryFailure.Network));
                case >= HttpStatusCode.InternalServerError:
                    return new SendOutcome(DeliveryResult.Retry($"Discord answered {status}", failure: DeliveryFailure.ServerError));
                default:
                    return new SendOutcome(DeliveryResult.Fail($"Discord refused the card: {status}, code {error?.Code}"));
            }
        }
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null; // 5xx bodies are often not JSON
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Result is null on success.</summary>
    private sealed record SendOutcome(DeliveryResult? Result)
    {
        public CreatedMessage? Message { get; init; }
        public bool UnknownMessage { get; init; }
    }

    private sealed record CreatedMessage(
        [property: System.Text.Json.Serialization.JsonPropertyName("id")] string Id,
        [property: System.Text.Json.Serialization.JsonPropertyName("channel_id")] string? ChannelId,
        [property: System.Text.Json.Serialization.JsonPropertyName("guild_id")] string? GuildId);

    private sealed record DiscordError(
        [property: System.Text.Json.Serialization.JsonPropertyName("code")] int? Code,
        [property: System.Text.Json.Serialization.JsonPropertyName("message")] string? Message,
        [property: System.Text.Json.Serialization.JsonPropertyName("retry_after")] double? RetryAfter,
        [property: System.Text.Json.Serialization.JsonPropertyName("global")] bool? Global);
}
