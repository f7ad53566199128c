using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Soar.Events;
using Soar.Response.Outbox;

namespace Soar.Tests.Response.Webhook;

/// <summary>The generic JSON webhook against a real local HTTP server.</summary>
public sealed class JsonWebhookResponderTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private string _url = "";
    private readonly ConcurrentQueue<(string? Key, JsonElement Body, int Status)> _received = new();
    private readonly ConcurrentQueue<int> _answers = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/hooks/{secret}", async (HttpContext context) =>
        {
            var body = await JsonDocument.ParseAsync(context.Request.Body);
            var status = _answers.TryDequeue(out var next) ? next : 200;
            _received.Enqueue((context.Request.Headers["Idempotency-Key"], body.RootElement.Clone(), status));
            context.Response.StatusCode = status;
        });
        await _app.StartAsync();
        _url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks/tok3n";
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TheIncidentIsPostedAsJsonAndRetriedWithTheSameIdempotencyKey()
    {
        _answers.Enqueue(500);
        _answers.Enqueue(503);
        await using var harness = ResponseHarness.Create(new() { ["Response:Webhook:Url"] = _url });
        harness.Start();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make()));
        await harness.WaitForStateAsync(rows => rows.All(r => r.State == OutboxState.Delivered));

        var received = _received.ToList();
        Assert.Equal([500, 503, 200], received.Select(r => r.Status));
        Assert.Single(received.Select(r => r.Key).Distinct());
        Assert.Equal($"{received[0].Key}", received[2].Body.GetProperty("notification_id").GetString());
        Assert.Equal(27, received[2].Body.GetProperty("incident").GetProperty("attempts").GetInt32());
        Assert.DoesNotContain("tok3n", harness.Logs.All);
    }

    [Fact]
    public async Task AGoneEndpointDisablesTheResponderAfterOneRequest()
    {
        _answers.Enqueue(410);
        await using var harness = ResponseHarness.Create(new() { ["Response:Webhook:Url"] = _url });
        harness.Start();
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make()));
        await harness.RecordAsync(new IncidentChange(IncidentChangeKind.Opened, TestIncidents.Make(id: 2, ip: "203.0.113.2")));
        await harness.WaitForStateAsync(rows => rows.Any(r => r.State == OutboxState.Failed));
        await Task.Delay(300);

        Assert.Single(_received);
        Assert.Equal(ResponderState.Disabled, harness.Health.Get("webhook").State);
    }
}
