using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Soar.Bench.Macro.Fakes;

/// <summary>
/// A local VirusTotal v3 (Kestrel on 127.0.0.1:0) that answers at once: <c>GET /api/v3/ip_addresses/{ip}</c>
/// with the right <c>x-apikey</c> gets the IP address object (6 engines say malicious), anything else 401
/// with VirusTotal's error body. No quota: the benchmark lifts Soar's own.
/// </summary>
public sealed class FakeVirusTotalServer : IAsyncDisposable
{
    public const string ApiKey = "bench-key-0123456789abcdef";
    private readonly WebApplication _app;
    private int _calls;

    private FakeVirusTotalServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public int Calls => Volatile.Read(ref _calls);

    public static async Task<FakeVirusTotalServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var fake = new FakeVirusTotalServer(builder.Build());
        fake._app.MapGet("/api/v3/ip_addresses/{ip}", async (HttpContext context, string ip) =>
        {
            Interlocked.Increment(ref fake._calls);
            context.Response.ContentType = "application/json";
            if (context.Request.Headers["x-apikey"] != ApiKey)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsync("""{"error": {"code": "WrongCredentialsError", "message": "Wrong API key"}}""");
                return;
            }
            await context.Response.WriteAsync(IpObject(ip));
        });
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>The documented IP address object, with synthetic values.</summary>
    public static string IpObject(string ip) => string.Create(CultureInfo.InvariantCulture, $$"""
        {"data": {"id": "{{ip}}", "type": "ip_address",
          "links": {"self": "https://www.virustotal.com/api/v3/ip_addresses/{{ip}}"},
          "attributes": {"as_owner": "Example Hosting Ltd", "asn": 64500, "country": "NL", "network": "{{ip}}/32",
            "last_analysis_date": 1767225600,
            "last_analysis_stats": {"harmless": 58, "malicious": 6, "suspicious": 1, "undetected": 29, "timeout": 0},
            "reputation": -14, "tags": ["scanner"]} } }
        """);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
