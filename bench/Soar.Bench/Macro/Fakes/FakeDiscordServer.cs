using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Soar.Bench.Macro.Fakes;

/// <summary>
/// A local Discord webhook for latency benchmarks (Kestrel on 127.0.0.1:0), following the contract Soar
/// relies on: Execute Webhook (POST, <c>?wait=true</c> returns the message with its id), Edit Webhook
/// Message (PATCH), 404 code 10015 for an unknown webhook. No rate limit: the benchmarks measure Soar's
/// path, not Discord's quota. Records when the first card for each attacker arrived (Stopwatch ticks,
/// taken as the request comes in), keyed by the address at the end of the embed title.
/// </summary>
public sealed class FakeDiscordServer : IAsyncDisposable
{
    private const string Id = "1234567890";
    private const string Token = "bench-token";
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _cards = new();
    private long _nextMessage = 1_100_000_000_000_000_000;
    private int _posts, _edits;

    private FakeDiscordServer(WebApplication app) => _app = app;

    public string WebhookUrl { get; private set; } = "";
    public int Posts => Volatile.Read(ref _posts);
    public int Edits => Volatile.Read(ref _edits);

    public static async Task<FakeDiscordServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var fake = new FakeDiscordServer(builder.Build());
        fake._app.MapPost("/api/webhooks/{id}/{token}", (HttpContext c, string id, string token) => fake.PostAsync(c, id, token));
        fake._app.MapPatch("/api/webhooks/{id}/{token}/messages/{message}", (HttpContext c, string id, string token, string message) =>
            fake.EditAsync(c, id, token, message));
        await fake._app.StartAsync();
        var address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.WebhookUrl = $"{address.TrimEnd('/')}/api/webhooks/{Id}/{Token}";
        return fake;
    }

    /// <summary>When the first card about <paramref name="ip"/> arrived (Stopwatch ticks).</summary>
    public Task<long> CardFor(string ip) => Card(ip).Task;

    private TaskCompletionSource<long> Card(string ip) =>
        _cards.GetOrAdd(ip, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task PostAsync(HttpContext context, string id, string token)
    {
        var at = Stopwatch.GetTimestamp();
        if (await BodyAsync(context, id, token) is not { } body) return;
        Interlocked.Increment(ref _posts);
        var title = body["embeds"]?[0]?["title"]?.GetValue<string>() ?? "";
        Card(title[(title.LastIndexOf(' ') + 1)..]).TrySetResult(at);
        if (context.Request.Query["wait"] != "true")
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        body["id"] = Interlocked.Increment(ref _nextMessage).ToString(CultureInfo.InvariantCulture);
        body["channel_id"] = "777";
        body["webhook_id"] = id;
        await context.Response.WriteAsJsonAsync(body);
    }

    private async Task EditAsync(HttpContext context, string id, string token, string message)
    {
        if (await BodyAsync(context, id, token) is not { } body) return;
        Interlocked.Increment(ref _edits);
        body["id"] = message;
        body["channel_id"] = "777";
        await context.Response.WriteAsJsonAsync(body);
    }

    private static async Task<JsonObject?> BodyAsync(HttpContext context, string id, string token)
    {
        if (id != Id || token != Token)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new { message = "Unknown Webhook", code = 10015 });
            return null;
        }
        if (await JsonNode.ParseAsync(context.Request.Body) is JsonObject body && body["embeds"] is JsonArray { Count: > 0 }) return body;
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsJsonAsync(new { message = "Cannot send an empty message", code = 50006 });
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
