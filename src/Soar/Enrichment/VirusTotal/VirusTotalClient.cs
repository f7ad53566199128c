using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly.Timeout;
using Soar.Events;

namespace Soar.Enrichment.VirusTotal;

public enum VirusTotalOutcome : byte
{
    /// <summary>200: <see cref="VirusTotalAnswer.Body"/> holds the IP address object.</summary>
    Found,
    /// <summary>404 NotFoundError: VirusTotal has no data on the address.</summary>
    NotFound,
    /// <summary>401: the key is wrong, missing or not active. Asking again will not help.</summary>
    Unauthorized,
    /// <summary>429: the minute, day or month quota is spent.</summary>
    QuotaExceeded,
    /// <summary>Anything else, after the retries: 5xx, timeouts, network errors, other 4xx.</summary>
    Failed,
}

/// <summary>One answer from VirusTotal. <see cref="Message"/> is safe to log: it never holds the key.</summary>
public sealed record VirusTotalAnswer(
    VirusTotalOutcome Outcome,
    int? StatusCode = null,
    string? ErrorCode = null,
    string? Message = null,
    string? Body = null,
    TimeSpan? RetryAfter = null);

/// <summary>
/// GET /api/v3/ip_addresses/{ip} with the x-apikey header (set on the HttpClient at registration).
/// The HttpClient below it retries 5xx and timeouts with jittered backoff, and takes a quota slot
/// for every attempt. Never throws for an HTTP or network failure: the answer says what happened.
/// </summary>
public sealed class VirusTotalClient(IHttpClientFactory httpClients)
{
    /// <summary>The name of the HttpClient registered for VirusTotal.</summary>
    public const string HttpClientName = "virustotal";

    public async Task<VirusTotalAnswer> GetIpAddressAsync(string ip, CancellationToken cancellationToken)
    {
        // A client per call: the factory rotates handlers, which a long-lived client would pin.
        var http = httpClients.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            // The address is canonical (IPAddress.ToString): digits, dots, hex and colons only.
            response = await http.GetAsync($"api/v3/ip_addresses/{ip}", cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new(VirusTotalOutcome.Failed, Message: $"network error: {e.HttpRequestError}");
        }
        catch (TimeoutRejectedException)
        {
            return new(VirusTotalOutcome.Failed, Message: "timed out");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(VirusTotalOutcome.Failed, Message: "timed out");
        }

        using (response)
        {
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (HttpRequestException e)
            {
                return new(VirusTotalOutcome.Failed, (int)response.StatusCode, Message: $"reading the answer failed: {e.HttpRequestError}");
            }
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.OK) return new(VirusTotalOutcome.Found, status, Body: body);

            var (code, message) = ReadError(response, body);
            var outcome = response.StatusCode switch
            {
                HttpStatusCode.NotFound => VirusTotalOutcome.NotFound,
                HttpStatusCode.Unauthorized => VirusTotalOutcome.Unauthorized,
                HttpStatusCode.TooManyRequests => VirusTotalOutcome.QuotaExceeded,
                _ => VirusTotalOutcome.Failed,
            };
            return new(outcome, status, code, message, RetryAfter: RetryAfter(response));
        }
    }

    /// <summary>
    /// VirusTotal's error body is <c>{"error": {"code", "message"}}</c>, but a proxy or a 5xx may
    /// answer with HTML or nothing: then the message is the status and the start of the text.
    /// </summary>
    internal static (string? Code, string Message) ReadError(HttpResponseMessage response, string body)
    {
        var status = string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    var text = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    var safeCode = code is null ? null : UntrustedText.ForDisplay(code, 64);
                    var safeText = UntrustedText.ForDisplay(text, 200);
                    return (safeCode, string.Join(": ", new[] { safeCode is null ? status : $"{status} {safeCode}", safeText }.Where(p => p.Length > 0)));
                }
            }
            catch (JsonException)
            {
                // Said JSON, was not: fall through to the text.
            }
        }
        var snippet = UntrustedText.ForDisplay(body.Trim(), 120);
        return (null, snippet.Length == 0 ? status : $"{status}: {snippet}");
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date && response.Headers.Date is { } now) return date - now;
        return null;
    }
}
