using System.Net;
using System.Net.Http.Headers;
using Soar.Events;
using Soar.Response.Outbox;

namespace Soar.Response.Webhook;

/// <summary>
/// POSTs each notification as JSON to any URL, for chat and ticket tools. 2xx is delivered; 408,
/// 429 (honouring Retry-After), 5xx and timeouts are retried; 401/403/404/410 disable the
/// responder; any other 4xx fails the row. An <c>Idempotency-Key</c> header repeats across
/// re-deliveries. The URL is never logged.
/// </summary>
public sealed class JsonWebhookResponder : IOutboxResponder, IDisposable
{
    private readonly Uri _url;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public JsonWebhookResponder(JsonWebhookOptions options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _url = options.Validate();
        _time = time;
        _http = new HttpClient(handler ?? new SocketsHttpHandler()) { Timeout = options.RequestTimeout };
    }

    public string Name => "webhook";

    public bool Accepts(IncidentChangeKind kind) => true;

    public async Task<DeliveryResult> DeliverAsync(Notification notification, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _url)
        {
            Content = new ByteArrayContent(NotificationJson.ToUtf8(notification, _time.GetUtcNow()))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
            },
        };
        request.Headers.Add("Idempotency-Key", $"soar-{notification.Id}");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.Retry("the webhook did not answer in time", failure: DeliveryFailure.Network);
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Retry($"the webhook is unreachable: {e.HttpRequestError}", failure: DeliveryFailure.Network);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return DeliveryResult.Delivered;
            return response.StatusCode switch
            {
                HttpStatusCode.TooManyRequests => DeliveryResult.Retry("the webhook rate-limited us",
                    response.Headers.RetryAfter?.Delta is { } delta ? _time.GetUtcNow() + delta : response.Headers.RetryAfter?.Date,
                    DeliveryFailure.RateLimited),
                HttpStatusCode.RequestTimeout => DeliveryResult.Retry($"the webhook answered {status}", failure: DeliveryFailure.Network),
                >= HttpStatusCode.InternalServerError => DeliveryResult.Retry($"the webhook answered {status}", failure: DeliveryFailure.ServerError),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone =>
                    DeliveryResult.Disable($"the webhook answered {status}: check Response:Webhook:Url"),
                _ => DeliveryResult.Fail($"the webhook refused the notification: {status}"),
            };
        }
    }

    public void Dispose() => _http.Dispose();
}
