using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Soar.Fakes;

/// <summary>
/// A local Discord webhook (Kestrel on 127.0.0.1:0) that follows the documented contract:
/// Execute Webhook with ?wait=true returns the message; Edit Webhook Message; the embed limits
/// (400 with code 50035 on a violation); a per-webhook rate limit with X-RateLimit-* headers and a
/// 429 with retry_after; 404 10015 for an unknown webhook; 10008 for an unknown message; and
/// outages on demand.
/// </summary>
public sealed class FakeDiscord : IAsyncDisposable
{
    public const string WebhookId = "1234567890";
    public const string Token = "s3cr3t-T0KEN-abcdefghijklmnopqrstuvwxyz";
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Queue<long> _window = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _nextId = 1_100_000_000_000_000_000;
    private long _blockedUntil;
    private int _held;

    /// <summary>POSTs that reached <see cref="HoldPosts"/> and waited there.</summary>
    public int HeldPosts => Volatile.Read(ref _held);

    public ConcurrentQueue<Received> Requests { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Messages { get; } = new();

    /// <summary>Requests per window per webhook; beyond it, 429.</summary>
    public int Limit { get; set; } = 5;
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Whether responses carry X-RateLimit-* headers (Discord's do; the client must cope without).</summary>
    public bool SendRateLimitHeaders { get; set; } = true;
    /// <summary>The next N requests get 503.</summary>
    public int FailNext { get; set; }
    /// <summary>When set, every request answers this status with this Discord error code.</summary>
    public (int Status, int Code)? ForcedError { get; set; }
    /// <summary>When set, POSTs wait for it before answering (a request in flight, for crash tests).</summary>
    public TaskCompletionSource? HoldPosts { get; set; }
    public string? GuildId { get; set; } = "555";

    public int TooManyRequests => Requests.Count(r => r.Status == 429);

    public sealed record Received(string Method, string Path, string Query, JsonObject? Body, int Status, TimeSpan At)
    {
        /// <summary>The retry_after of a 429, in seconds.</summary>
        public double? RetryAfter { get; init; }
        /// <summary>When the request came in (<see cref="Stopwatch.GetTimestamp"/>), for latency measurements.</summary>
        public long ArrivedAt { get; init; }
    }

    /// <summary>Raised for every request once it is answered.</summary>
    public event Action<Received>? Answered;

    private FakeDiscord(WebApplication app) => _app = app;

    public string WebhookUrl => $"{BaseAddress}/api/webhooks/{WebhookId}/{Token}";
    public string BaseAddress { get; private set; } = "";

    public static async Task<FakeDiscord> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var fake = new FakeDiscord(app);
        app.MapPost("/api/webhooks/{id}/{token}", (HttpContext c, string id, string token) => fake.HandleAsync(c, id, token, null));
        app.MapPatch("/api/webhooks/{id}/{token}/messages/{message}", (HttpContext c, string id, string token, string message) =>
            fake.HandleAsync(c, id, token, message));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = address.TrimEnd('/');
        return fake;
    }

    /// <summary>The posted messages (POSTs answered 200), in order.</summary>
    public IReadOnlyList<Received> Posts => Requests.Where(r => r.Method == "POST" && r.Status == 200).ToList();
    public IReadOnlyList<Received> Edits => Requests.Where(r => r.Method == "PATCH" && r.Status == 200).ToList();

    public async Task WaitForAsync(Func<FakeDiscord, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition(this))
        {
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(20)))
                throw new TimeoutException($"The fake Discord did not see what was expected; it saw {Requests.Count} requests: " +
                                           string.Join(", ", Requests.Select(r => $"{r.Method} {r.Status}")));
            await Task.Delay(10);
        }
    }

    private async Task HandleAsync(HttpContext context, string id, string token, string? messageId)
    {
        var arrivedAt = Stopwatch.GetTimestamp();
        var method = context.Request.Method;
        JsonObject? body = null;
        try
        {
            body = (await JsonNode.ParseAsync(context.Request.Body)) as JsonObject;
        }
        catch (JsonException)
        {
        }
        var at = _clock.Elapsed;
        int status;
        object? answer;
        var headers = context.Response.Headers;
        lock (_gate)
        {
            (status, answer) = Decide(id, token, messageId, body, context.Request.Query["wait"] == "true", headers);
        }
        var hold = method == "POST" && status == 200 ? HoldPosts : null;
        if (hold is not null)
        {
            Interlocked.Increment(ref _held);
            await hold.Task;
        }
        var received = new Received(method, context.Request.Path, context.Request.QueryString.Value ?? "", body, status, at)
        {
            RetryAfter = status == 429 ? answer?.GetType().GetProperty("retry_after")?.GetValue(answer) as double? : null,
            ArrivedAt = arrivedAt,
        };
        Requests.Enqueue(received);
        context.Response.StatusCode = status;
        if (answer is not null) await context.Response.WriteAsJsonAsync(answer);
        Answered?.Invoke(received);
    }

    private (int, object?) Decide(string id, string token, string? messageId, JsonObject? body, bool wait, IHeaderDictionary headers)
    {
        if (ForcedError is { } forced)
            return (forced.Status, new { message = "forced", code = forced.Code });
        if (id != WebhookId || token != Token) return (404, new { message = "Unknown Webhook", code = 10015 });
        if (FailNext > 0)
        {
            FailNext--;
            return (503, "upstream connect error");
        }

        var now = _clock.ElapsedTicks;
        var window = (long)(Window.TotalSeconds * Stopwatch.Frequency);
        while (_window.Count > 0 && _window.Peek() <= now - window) _window.Dequeue();
        if (now < _blockedUntil || _window.Count >= Limit)
        {
            var resetTicks = Math.Max(_blockedUntil, _window.Count > 0 ? _window.Peek() + window : now) - now;
            var retryAfter = Math.Round(resetTicks / (double)Stopwatch.Frequency + 0.001, 3);
            _blockedUntil = now + (long)(retryAfter * Stopwatch.Frequency);
            headers["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Scope"] = "user";
            if (SendRateLimitHeaders) RateHeaders(headers, 0, retryAfter);
            return (429, new { message = "You are being rate limited.", retry_after = retryAfter, global = false });
        }
        _window.Enqueue(now);
        if (SendRateLimitHeaders)
            RateHeaders(headers, Limit - _window.Count, (_window.Peek() + window - now) / (double)Stopwatch.Frequency);

        if (body is null) return (400, new { message = "Cannot send an empty message", code = 50006 });
        var violations = Violations(body);
        if (violations.Count > 0)
            return (400, new { message = "Invalid Form Body", code = 50035, errors = violations });

        if (messageId is null)
        {
            var created = (JsonObject)body.DeepClone();
            var newId = (_nextId++).ToString(CultureInfo.InvariantCulture);
            created["id"] = newId;
            created["channel_id"] = "777";
            if (GuildId is not null) created["guild_id"] = GuildId;
            created["webhook_id"] = id;
            Messages[newId] = created;
            return wait ? (200, created) : (204, null);
        }
        if (!Messages.TryGetValue(messageId, out var existing)) return (404, new { message = "Unknown Message", code = 10008 });
        foreach (var (key, value) in body) existing[key] = value?.DeepClone();
        return (200, existing);
    }

    private static void RateHeaders(IHeaderDictionary headers, int remaining, double resetAfter)
    {
        headers["X-RateLimit-Limit"] = "5";
        headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset-After"] = resetAfter.ToString("0.000", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Bucket"] = "webhook-bucket-1";
    }

    /// <summary>The documented limits, counted after trimming, as Discord counts them.</summary>
    public static Dictionary<string, string> Violations(JsonObject body)
    {
        var errors = new Dictionary<string, string>();
        static int Len(JsonNode? node) => node?.GetValue<string>().Trim().Length ?? 0;
        if (Len(body["content"]) > 2000) errors["content"] = "Must be 2000 or fewer in length.";
        var embeds = body["embeds"] as JsonArray ?? [];
        if (body["content"] is null && embeds.Count == 0) errors["content"] = "Cannot send an empty message";
        if (embeds.Count > 10) errors["embeds"] = "Must be 10 or fewer in length.";
        var total = 0;
        for (var e = 0; e < embeds.Count; e++)
        {
            var embed = embeds[e]!.AsObject();
            void Check(string path, JsonNode? node, int max)
            {
                var length = Len(node);
                total += length;
                if (length > max) errors[$"embeds.{e}.{path}"] = $"Must be {max} or fewer in length.";
                if (node is not null && length == 0) errors[$"embeds.{e}.{path}"] = "This field is required";
            }
            Check("title", embed["title"], 256);
            if (embed["description"] is not null) Check("description", embed["description"], 4096);
            if (embed["footer"] is JsonObject footer) Check("footer.text", footer["text"], 2048);
            if (embed["color"] is JsonNode color && color.GetValueKind() != JsonValueKind.Number) errors[$"embeds.{e}.color"] = "Not an integer.";
            var fields = embed["fields"] as JsonArray ?? [];
            if (fields.Count > 25) errors[$"embeds.{e}.fields"] = "Must be 25 or fewer in length.";
            for (var f = 0; f < fields.Count; f++)
            {
                Check($"fields.{f}.name", fields[f]!["name"], 256);
                Check($"fields.{f}.value", fields[f]!["value"], 1024);
            }
        }
        if (total > 6000) errors["embeds"] = "Embed size exceeds maximum size of 6000";
        if (body["allowed_mentions"] is JsonObject mentions && mentions["parse"] is JsonArray parse
            && mentions["roles"] is JsonArray && parse.Any(p => p?.GetValue<string>() == "roles"))
            errors["allowed_mentions"] = "parse:[\"roles\"] and roles are mutually exclusive";
        return errors;
    }

    public async ValueTask DisposeAsync()
    {
        HoldPosts?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
