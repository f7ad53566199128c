using System.Net;
using System.Text.Json;
using Soar.Detection;
using Soar.Events;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Api.Incidents;

/// <summary>GET /api/incidents and /api/incidents/{id} on the real HTTP host.</summary>
public sealed class IncidentsApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private SoarTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await SoarTestHost.StartAsync();
        // Three attackers: two brute forces (high), one critical Splunk alert, at different times.
        await SubmitAsync("ssh-bruteforce", "203.0.113.1", Severity.High, T0);
        await SubmitAsync("ssh-bruteforce", "203.0.113.2", Severity.High, T0.AddHours(1));
        await SubmitAsync("SSH spraying", "203.0.113.3", Severity.Critical, T0.AddHours(2));
        await SubmitAsync("ssh-bruteforce", "203.0.113.1", Severity.High, T0.AddMinutes(5)); // an update of #1
        await _host.WaitForChangesAsync(4); // stored before the responders hear of them
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task SubmitAsync(string rule, string ip, Severity severity, DateTimeOffset at) =>
        _host.Get<SoarPipeline>().SubmitAlertAsync(new RuleMatch(rule, rule, severity, IncidentKey.SourceIp(ip), 11,
            at, at, ["root"], ["web01"], "test"), CancellationToken.None).AsTask();

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await _host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static string[] Addresses(JsonElement page) =>
        [.. page.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("key").GetProperty("src_ip").GetString()!)];

    [Fact]
    public async Task TheListHasEveryIncidentMostRecentlyActiveFirst()
    {
        var page = await GetJsonAsync("/api/incidents");

        Assert.Equal(["203.0.113.3", "203.0.113.2", "203.0.113.1"], Addresses(page));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_offset").ValueKind);
        var first = page.GetProperty("incidents")[2];
        Assert.Equal(1, first.GetProperty("id").GetInt64());
        Assert.Equal("open", first.GetProperty("status").GetString());
        Assert.Equal(22, first.GetProperty("findings")[0].GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("?severity=critical", new[] { "203.0.113.3" })]
    [InlineData("?severity=HIGH", new[] { "203.0.113.2", "203.0.113.1" })]
    [InlineData("?rule=ssh-bruteforce", new[] { "203.0.113.2", "203.0.113.1" })]
    [InlineData("?rule=SSH%20spraying", new[] { "203.0.113.3" })]
    [InlineData("?since=2026-01-01T01:00:00Z", new[] { "203.0.113.3", "203.0.113.2" })]
    [InlineData("?status=open&severity=high&since=2026-01-01T00:30:00Z", new[] { "203.0.113.2" })]
    [InlineData("?status=resolved", new string[0])]
    [InlineData("?rule=unknown", new string[0])]
    public async Task FiltersCombine(string query, string[] expected)
    {
        var page = await GetJsonAsync("/api/incidents" + query);

        Assert.Equal(expected, Addresses(page));
    }

    [Fact]
    public async Task PagingTakesASliceAndSaysWhereTheNextStarts()
    {
        var page = await GetJsonAsync("/api/incidents?offset=1&limit=1");

        Assert.Equal(["203.0.113.2"], Addresses(page));
        Assert.Equal(1, page.GetProperty("offset").GetInt32());
        Assert.Equal(1, page.GetProperty("limit").GetInt32());
        Assert.Equal(2, page.GetProperty("next_offset").GetInt32());
        var last = await GetJsonAsync("/api/incidents?offset=2&limit=1");
        Assert.Equal(["203.0.113.1"], Addresses(last));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next_offset").ValueKind);
    }

    [Theory]
    [InlineData("?status=closed", "status")]
    [InlineData("?severity=urgent", "severity")]
    [InlineData("?since=yesterday", "since")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=100000", "limit")]
    [InlineData("?offset=-1", "offset")]
    public async Task ABadFilterIsRefusedWith400NamingIt(string query, string name)
    {
        var response = await _host.Client.GetAsync("/api/incidents" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(name, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OneIncidentComesWithItsAuditTrail()
    {
        // The console card of the opening joins the trail once delivered; the update of #1 (one more
        // alert of the same rule) is no step of its lifecycle and leaves none.
        JsonElement body;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do body = await GetJsonAsync("/api/incidents/1");
        while (body.GetProperty("audit").GetArrayLength() < 2 && DateTime.UtcNow < deadline);

        Assert.Equal("203.0.113.1", body.GetProperty("incident").GetProperty("key").GetProperty("src_ip").GetString());
        Assert.Equal(22, body.GetProperty("incident").GetProperty("findings")[0].GetProperty("count").GetInt32());
        var audit = body.GetProperty("audit").EnumerateArray().ToList();
        Assert.Equal(["opened", "notified"], audit.Select(a => a.GetProperty("change").GetString()));
        Assert.Equal("high", audit[0].GetProperty("severity").GetString());
        Assert.Equal(T0, audit[0].GetProperty("at").GetDateTimeOffset()); // event time
        Assert.Equal(_host.Time.GetUtcNow(), audit[0].GetProperty("recorded_at").GetDateTimeOffset());
        Assert.Equal("opened by ssh-bruteforce (high): test; 11 matching", audit[0].GetProperty("detail").GetString());
        Assert.Equal("console: opened delivered", audit[1].GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/incidents/99", HttpStatusCode.NotFound)]
    [InlineData("/api/incidents/abc", HttpStatusCode.BadRequest)]
    [InlineData("/api/incidents/-1", HttpStatusCode.BadRequest)]
    public async Task AnUnknownOrMalformedIdIsAnError(string path, HttpStatusCode expected)
    {
        var response = await _host.Client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
    }
}
