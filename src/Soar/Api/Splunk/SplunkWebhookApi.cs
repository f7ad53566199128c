using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Soar.Events;
using Soar.Pipeline;

namespace Soar.Api.Splunk;

/// <summary>
/// <c>POST /webhooks/splunk/{token}</c>: Splunk's webhook alert action. The token in the URL is
/// the only credential Splunk can send; it is compared in constant time and never logged.
/// </summary>
public static partial class SplunkWebhookApi
{
    public const string Route = "/webhooks/splunk/{token?}";

    public static IEndpointRouteBuilder MapSplunkWebhookApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<SplunkWebhookOptions>();
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SplunkWebhookApi));
        if (!options.IsEnabled) LogDisabledAtStart(logger);
        var expected = options.IsEnabled ? Digest(options.WebhookToken!) : [];

        app.MapPost(Route, async (HttpContext context, string? token, SplunkAlertTranslator translator,
            SoarPipeline pipeline, SplunkWebhookMetrics metrics) =>
        {
            if (!options.IsEnabled)
            {
                metrics.OnDisabled();
                LogDisabled(logger);
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "The Splunk webhook is disabled",
                    detail: "No webhook token is configured (SOAR_WEBHOOK_TOKEN).");
            }
            // Digests have one length whatever was sent, so the comparison leaks nothing, not even length.
            if (!CryptographicOperations.FixedTimeEquals(Digest(token ?? ""), expected))
            {
                metrics.OnUnauthorized();
                LogUnauthorized(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong or missing webhook token");
            }

            var body = await ReadBoundedAsync(context.Request, options.MaxBodyBytes, context.RequestAborted);
            if (body is null)
            {
                metrics.OnTooLarge();
                LogTooLarge(logger, options.MaxBodyBytes);
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
                    detail: $"A webhook body may hold at most {options.MaxBodyBytes} bytes.");
            }
            if (!SplunkAlert.TryParse(body.Value, out var alert, out var error)
                || !translator.TryTranslate(alert!, out var match, out error))
            {
                metrics.OnBadRequest();
                LogBadRequest(logger, error);
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a usable Splunk alert",
                    detail: error);
            }

            try
            {
                await pipeline.SubmitAlertAsync(match!, context.RequestAborted);
            }
            catch (ChannelClosedException)
            {
                metrics.OnUnavailable();
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Soar is stopping",
                    detail: "The pipeline no longer takes alerts; Splunk may retry later.");
            }
            metrics.OnAccepted();
            LogAccepted(logger, UntrustedText.ForDisplay(match!.Rule), match.Key.Value, match.Count);
            return Results.Accepted(value: new AcceptedAlert(match.Rule, match.Key.Value, match.Severity.Name(), match.Count));
        });
        return app;
    }

    private sealed record AcceptedAlert(
        [property: JsonPropertyName("rule")] string Rule,
        [property: JsonPropertyName("src_ip")] string SrcIp,
        [property: JsonPropertyName("severity")] string Severity,
        [property: JsonPropertyName("count")] int Count);

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (declared or actual).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBoundedAsync(HttpRequest request, int limit,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) return null;
        var buffer = new ArrayBufferWriter<byte>(Math.Min(limit + 1, 16 * 1024));
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(4096), cancellationToken);
            if (read == 0) return buffer.WrittenMemory;
            buffer.Advance(read);
            if (buffer.WrittenCount > limit) return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The Splunk webhook is disabled: set SOAR_WEBHOOK_TOKEN (Splunk:WebhookToken) to accept alerts")]
    private static partial void LogDisabledAtStart(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused a Splunk alert: the webhook is disabled because no token is configured (SOAR_WEBHOOK_TOKEN)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Splunk webhook request from {Remote}: wrong or missing token")]
    private static partial void LogUnauthorized(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Splunk webhook body over {Limit} bytes")]
    private static partial void LogTooLarge(ILogger logger, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Splunk alert: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Splunk alert accepted: {Rule} for {SrcIp} ({Count} attempts)")]
    private static partial void LogAccepted(ILogger logger, string rule, string srcIp, int count);
}
