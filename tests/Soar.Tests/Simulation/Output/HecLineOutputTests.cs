using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Soar.Simulation;
using Soar.Simulation.Output;
using static Soar.Tests.Simulation.Output.OutputTestSupport;

namespace Soar.Tests.Simulation.Output;

/// <summary>Against a fake HTTP Event Collector: a real Kestrel server that follows api-contracts.md §D.</summary>
public sealed class HecLineOutputTests : IAsyncLifetime
{
    private const string Token = "11111111-2222-3333-4444-555555555555";
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;
    private readonly ConcurrentQueue<(string Authorization, string Body)> _requests = new();
    private WebApplication _app = null!;
    private Uri _url = null!;
    private int _failuresToGive;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost(HecLineOutput.Path, async (HttpContext context) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization != $"Splunk {Token}")
                return Results.Json(new { text = "Invalid token", code = 4 }, statusCode: 403);
            if (Interlocked.Decrement(ref _failuresToGive) >= 0)
                return Results.Json(new { text = "Server is busy", code = 9 }, statusCode: 503);
            _requests.Enqueue((authorization, body));
            return Results.Json(new { text = "Success", code = 0 });
        });
        await _app.StartAsync();
        _url = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<SendSummary> SendAsync(int lines, string token, int batch = 10)
    {
        using var http = new HttpClient();
        await using var output = new HecLineOutput(http, _url, token, "web-01", batch, TimeProvider.System);
        return await new SimulationSender(Renderer(), output, TimeProvider.System).SendAsync(SomeLines(lines), new Pacing(), null, Timeout);
    }

    private static List<JsonElement> Events(string body)
    {
        // Batched HEC events are JSON objects back to back, not an array.
        var events = new List<JsonElement>();
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(body), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            events.Add(JsonElement.ParseValue(ref reader));
        }
        return events;
    }

    [Fact]
    public async Task LinesGoInBatchesOfConcatenatedEventsWithTheSplunkAuthorization()
    {
        var summary = await SendAsync(25, Token, batch: 10);

        Assert.Equal(25, summary.Sent);
        Assert.Equal([10, 10, 5], _requests.Select(r => Events(r.Body).Count));
        Assert.All(_requests, r => Assert.Equal($"Splunk {Token}", r.Authorization));
        var first = Events(_requests.First().Body)[0];
        Assert.Equal("linux_secure", first.GetProperty("sourcetype").GetString());
        Assert.Equal("web-01", first.GetProperty("host").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 15, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), first.GetProperty("time").GetInt64());
        Assert.Equal("<38>Nov 26 15:00:00 web-01 sshd[1000]: Failed password for root from 203.0.113.7 port 40000 ssh2",
            first.GetProperty("event").GetString());
    }

    [Fact]
    public async Task ABusyCollectorIsRetried()
    {
        _failuresToGive = 2;
        var summary = await SendAsync(5, Token);
        Assert.Equal(5, summary.Sent);
        Assert.Equal(0, summary.Unsent);
        Assert.Single(_requests);
    }

    [Fact]
    public async Task ARejectedTokenStopsTheRunCountsEverythingUnsentAndIsNotEchoed()
    {
        var summary = await SendAsync(30, "wrong-token-value", batch: 10);
        Assert.Equal(0, summary.Sent);
        Assert.Equal(30, summary.Unsent);
        Assert.Empty(_requests);
        Assert.Contains("403", summary.LastError);
        Assert.DoesNotContain("wrong-token-value", summary.LastError);
    }
}
