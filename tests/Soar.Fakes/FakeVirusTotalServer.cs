using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Soar.Fakes;

/// <summary>
/// A local VirusTotal v3 on 127.0.0.1:0 that follows the documented contract: GET
/// /api/v3/ip_addresses/{ip} with x-apikey, the IP address object on 200, the
/// <c>{"error": {"code", "message"}}</c> body on errors, and a per-minute quota (sliding, on the
/// test's clock) answered with 429 QuotaExceededError. Scripted answers per address let a test
/// play 404s, 5xx, HTML bodies and slow answers.
/// </summary>
public sealed class FakeVirusTotalServer : IAsyncDisposable
{
    public const string ValidKey = "test-key-0123456789abcdef";

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpContext, Task>>> _scripts = new();
    private readonly ConcurrentDictionary<string, int> _malicious = new();
    private readonly Lock _lock = new();
    private readonly List<Call> _calls = [];

    public sealed record Call(string Ip, DateTimeOffset At, int Status, string? ApiKey);

    private FakeVirusTotalServer(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    /// <summary>Requests allowed in any 60 s of the test's clock before 429.</summary>
    public int QuotaPerMinute { get; set; } = 4;

    /// <summary>When set, every request is refused with 429 (the daily quota is spent).</summary>
    public bool DailyQuotaSpent { get; set; }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<Call> Calls { get { lock (_lock) return [.. _calls]; } }

    public static async Task<FakeVirusTotalServer> StartAsync(TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeVirusTotalServer(app, time);
        app.MapGet("/api/v3/ip_addresses/{ip}", (HttpContext context, string ip) => server.AnswerAsync(context, ip));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address);
        return server;
    }

    /// <summary>The address is found with this many malicious verdicts (the default for unscripted addresses is 0).</summary>
    public void Malicious(string ip, int engines) => _malicious[ip] = engines;

    /// <summary>The next request for <paramref name="ip"/> gets this answer; later ones the default.</summary>
    public void Then(string ip, int status, string body, string contentType = "application/json") =>
        Script(ip, async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });

    public void ThenError(string ip, int status, string code, string message) =>
        Then(ip, status, ErrorBody(code, message));

    public void Script(string ip, Func<HttpContext, Task> answer) =>
        _scripts.GetOrAdd(ip, _ => new ConcurrentQueue<Func<HttpContext, Task>>()).Enqueue(answer);

    private async Task AnswerAsync(HttpContext context, string ip)
    {
        var now = _time.GetUtcNow();
        var key = context.Request.Headers["x-apikey"].FirstOrDefault();
        int status;
        lock (_lock)
        {
            var recent = _calls.Count(c => c.Status != 401 && c.At > now - TimeSpan.FromMinutes(1));
            status = key is null || key != ValidKey ? 401 : DailyQuotaSpent || recent >= QuotaPerMinute ? 429 : 0;
            _calls.Add(new Call(ip, now, status, key));
        }
        if (status == 401)
        {
            await Error(context, 401, key is null ? "AuthenticationRequiredError" : "WrongCredentialsError",
                key is null ? "X-Apikey header is missing" : "Wrong API key");
            return;
        }
        if (status == 429)
        {
            await Error(context, 429, "QuotaExceededError", "Quota exceeded");
            return;
        }
        if (_scripts.TryGetValue(ip, out var script) && script.TryDequeue(out var answer))
        {
            await answer(context);
            SetStatus(ip, now, context.Response.StatusCode);
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(IpObject(ip, _malicious.GetValueOrDefault(ip)));
        SetStatus(ip, now, 200);
    }

    private void SetStatus(string ip, DateTimeOffset at, int status)
    {
        lock (_lock)
        {
            var index = _calls.FindLastIndex(c => c.Ip == ip && c.At == at && c.Status == 0);
            if (index >= 0) _calls[index] = _calls[index] with { Status = status };
        }
    }

    private static Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(ErrorBody(code, message));
    }

    private static string ErrorBody(string code, string message) =>
        System.Text.Json.JsonSerializer.Serialize(new { error = new { code, message } });

    /// <summary>The documented shape (api-contracts §B.2), with synthetic values.</summary>
    public static string IpObject(string ip, int malicious) => string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "data": {
            "id": "{{ip}}",
            "type": "ip_address",
            "links": {"self": "https://www.virustotal.com/api/v3/ip_addresses/{{ip}}"},
            "attributes": {
              "as_owner": "Example Hosting Ltd",
              "asn": 64500,
              "continent": "EU",
              "country": "NL",
              "network": "{{ip}}/32",
              "regional_internet_registry": "RIPE NCC",
              "last_analysis_date": 1767225600,
              "last_modification_date": 1767229200,
              "last_analysis_stats": {"harmless": 58, "malicious": {{malicious}}, "suspicious": 1, "undetected": 29, "timeout": 0},
              "last_analysis_results": {
                "AlienVault": {"category": "malicious", "engine_name": "AlienVault", "method": "blacklist", "result": "malware"}
              },
              "reputation": -14,
              "tags": ["scanner"],
              "total_votes": {"harmless": 0, "malicious": 3},
              "whois": "netname: EXAMPLE-NET\n",
              "whois_date": 1766016000
            }
          }
        }
        """);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
