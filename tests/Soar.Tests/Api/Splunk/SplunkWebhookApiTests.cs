using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Soar.Api.Splunk;
using Soar.Detection;
using Soar.Events;
using Soar.Pipeline;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Api.Splunk;

/// <summary>Splunk's webhook bodies posted to the real HTTP host on a free loopback port.</summary>
public sealed class SplunkWebhookApiTests : IAsyncLifetime
{
    private SoarTestHost _host = null!;

    public async Task InitializeAsync() => _host = await SoarTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Payload(string name) => File.ReadAllText(RepoFiles.Path($"tests/corpus/splunk-webhook/{name}"));

    private Task<HttpResponseMessage> PostAsync(string body, string token = SoarTestHost.Token) =>
        PostAsync(new StringContent(body, Encoding.UTF8, "application/json"), token);

    private Task<HttpResponseMessage> PostAsync(HttpContent content, string token = SoarTestHost.Token) =>
        _host.Client.PostAsync($"/webhooks/splunk/{token}", content);

    private SplunkWebhookMetrics Metrics => _host.Get<SplunkWebhookMetrics>();

    [Fact]
    public async Task OneResultRowBecomesAnIncidentWithTheSearchAsItsRule()
    {
        var response = await PostAsync(Payload("one-row.json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var change = Assert.Single(await _host.WaitForChangesAsync(1));
        Assert.Equal(IncidentChangeKind.Opened, change.Kind);
        var incident = change.Incident;
        Assert.Equal(IncidentKey.SourceIp("203.0.113.45"), incident.Key);
        Assert.Equal(Severity.High, incident.Severity);
        Assert.Equal(27, incident.Attempts);
        Assert.Equal(["admin", "oracle", "root", "test", "ubuntu"], incident.Users);
        Assert.Equal(["web01"], incident.Hosts);
        var finding = Assert.Single(incident.Findings);
        Assert.Equal("SSH brute force by source IP", finding.Rule);
        Assert.Equal(27, finding.Count);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 3, TimeSpan.Zero), finding.FirstSeen);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 59, TimeSpan.Zero), finding.LastSeen);
        Assert.Contains("scheduler__admin__search__RMD5ssh_bruteforce_at_1767225600_42", finding.Reason);
        Assert.Equal(1, Metrics.Accepted);
        // The console card, like a local incident: delivered by the outbox, after the change is stored.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_host.Console.ToString().Contains("203.0.113.45") && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Contains("203.0.113.45", _host.Console.ToString());
    }

    [Fact]
    public async Task TheAcceptedAnswerSaysWhatTheAlertBecame()
    {
        var response = await PostAsync(Payload("one-row.json"));

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("203.0.113.45", body.RootElement.GetProperty("src_ip").GetString());
        Assert.Equal("high", body.RootElement.GetProperty("severity").GetString());
        Assert.Equal(27, body.RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task ANullSearchNameIsAcceptedUnderTheGenericRuleAtTheAlertsEventTime()
    {
        var response = await PostAsync(Payload("null-search-name.json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var incident = Assert.Single(await _host.WaitForChangesAsync(1)).Incident;
        Assert.Equal(IncidentKey.SourceIp("198.51.100.23"), incident.Key);
        var finding = Assert.Single(incident.Findings);
        Assert.Equal(SplunkAlertTranslator.UnnamedRule, finding.Rule);
        Assert.Equal(14, finding.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), finding.LastSeen);
    }

    [Fact]
    public async Task ExtraFieldsNonStringValuesAndMultivalueArraysAreTolerated()
    {
        var response = await PostAsync(Payload("extra-fields.json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var incident = Assert.Single(await _host.WaitForChangesAsync(1)).Incident;
        Assert.Equal(IncidentKey.SourceIp("2001:db8:bad::17"), incident.Key);
        Assert.Equal(Severity.Critical, incident.Severity); // from the result's severity field
        Assert.Equal(["admin", "root"], incident.Users);
        Assert.Equal(40, incident.Attempts);
        // No event time in the row: the alert happened when it arrived.
        Assert.Equal(_host.Time.GetUtcNow(), incident.LastSeen);
    }

    [Fact]
    public async Task SeveralAlertsForOneAddressUpdateOneIncidentInsteadOfOpeningMore()
    {
        var first = await PostAsync(Payload("one-row.json"));
        var second = await PostAsync(Payload("one-row.json"));
        var third = await PostAsync(Payload("null-search-name.json").Replace("198.51.100.23", "203.0.113.45"));

        Assert.All([first, second, third], r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var changes = await _host.WaitForChangesAsync(3);
        Assert.Equal([IncidentChangeKind.Opened, IncidentChangeKind.Updated, IncidentChangeKind.Updated],
            changes.Select(c => c.Kind));
        Assert.Single(changes.Select(c => c.Incident.Id).Distinct());
        var incident = changes[^1].Incident;
        Assert.Equal(2, incident.Findings.Count);
        Assert.Equal(54, incident.Findings.Single(f => f.Rule == "SSH brute force by source IP").Count);
        Assert.Equal(1, _host.Get<PipelineMetrics>().IncidentsOpened);
    }

    [Fact]
    public async Task AnAlertForAnAttackerDetectedLocallyJoinsTheLocalIncident()
    {
        var pipeline = _host.Get<SoarPipeline>();
        var local = new RuleMatch("ssh-bruteforce", "SSH brute force", Severity.High,
            IncidentKey.SourceIp("203.0.113.45"), 11, _host.Time.GetUtcNow(), _host.Time.GetUtcNow(), ["root"], ["vm"], "local");
        await pipeline.SubmitAlertAsync(local, CancellationToken.None);
        await _host.WaitForChangesAsync(1);

        var response = await PostAsync(Payload("one-row.json").Replace("\"failures\": \"27\"", "\"failures\": \"27\", \"rule\": \"ssh-bruteforce\""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var changes = await _host.WaitForChangesAsync(2);
        Assert.Equal(IncidentChangeKind.Updated, changes[1].Kind);
        Assert.Equal(changes[0].Incident.Id, changes[1].Incident.Id);
        var finding = Assert.Single(changes[1].Incident.Findings);
        Assert.Equal(11 + 27, finding.Count);
    }

    [Theory]
    [InlineData("wrong-token-0123456789abcdef")]
    [InlineData("s3cret-Token_0123456789abcdeX")] // one character off
    [InlineData("s3cret-Token_0123456789abcde")] // a prefix
    public async Task AWrongTokenIsRefusedWith401AndNothingIsStored(string token)
    {
        var response = await PostAsync(Payload("one-row.json"), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, Metrics.Unauthorized);
        await AssertNothingReachedThePipelineAsync();
    }

    [Theory]
    [InlineData("/webhooks/splunk")]
    [InlineData("/webhooks/splunk/")]
    public async Task AMissingTokenIsRefusedWith401(string path)
    {
        var response = await _host.Client.PostAsync(path, new StringContent(Payload("one-row.json")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, Metrics.Unauthorized);
        await AssertNothingReachedThePipelineAsync();
    }

    [Fact]
    public async Task ABodyOverSixtyFourKibibytesIsRefusedWith413()
    {
        var huge = Payload("one-row.json").Replace("\"host\": \"web01\"", $"\"host\": \"{new string('a', 70_000)}\"");

        var response = await PostAsync(huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(1, Metrics.TooLarge);
        await AssertNothingReachedThePipelineAsync();
    }

    [Fact]
    public async Task AHugeBodyWithoutADeclaredLengthIsRefusedWith413Too()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"result\":{\"x\":\"" + new string('a', 200_000) + "\"}}")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/splunk/{SoarTestHost.Token}") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(1, Metrics.TooLarge);
    }

    [Fact]
    public async Task BrokenJsonIsRefusedWith400AndAClearMessage()
    {
        var response = await PostAsync(Payload("broken.json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, Metrics.BadRequests);
        await AssertNothingReachedThePipelineAsync();
    }

    [Theory]
    [InlineData("no-source-address.json", "no source address")]
    public async Task AResultWithoutASourceAddressIsRefusedWith400(string payload, string message)
    {
        var response = await PostAsync(Payload(payload));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        await AssertNothingReachedThePipelineAsync();
    }

    [Theory]
    [InlineData("{\"result\": {\"src_ip\": \"not-an-ip\"}}", "is not an IP address")]
    [InlineData("{\"result\": {\"src_ip\": \"999.1.1.1\"}}", "is not an IP address")]
    [InlineData("[1, 2, 3]", "must be a JSON object")]
    [InlineData("{\"sid\": \"x\"}", "no 'result' object")]
    [InlineData("{\"result\": \"203.0.113.45\"}", "no 'result' object")]
    [InlineData("", "not valid JSON")]
    public async Task UnusableBodiesAreRefusedWith400SayingWhy(string body, string message)
    {
        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheTokenNeverAppearsInAnyLogMessage()
    {
        await PostAsync(Payload("one-row.json"));
        await PostAsync(Payload("broken.json"));
        await PostAsync(Payload("one-row.json"), SoarTestHost.Token + "x");
        await PostAsync(new string('x', 70_000));
        await _host.WaitForChangesAsync(1);

        Assert.NotEmpty(_host.Logs.Messages);
        Assert.DoesNotContain(_host.Logs.Messages, m => m.Contains("s3cret", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task OnlyPostIsAccepted()
    {
        var response = await _host.Client.GetAsync($"/webhooks/splunk/{SoarTestHost.Token}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private async Task AssertNothingReachedThePipelineAsync()
    {
        // A request that was accepted would be in the pipeline by the time another one is answered.
        var healthy = await _host.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        await Task.Delay(50);
        Assert.Empty(_host.Changes.All);
        Assert.Equal(0, Metrics.Accepted);
    }
}

/// <summary>The endpoint without a configured token.</summary>
public sealed class SplunkWebhookWithoutATokenTests
{
    [Fact]
    public async Task WithoutAConfiguredTokenTheWebhookAnswers503AndSaysWhyInTheLog()
    {
        await using var host = await SoarTestHost.StartAsync(token: null);

        var response = await host.Client.PostAsync("/webhooks/splunk/anything-at-all-0123",
            new StringContent(File.ReadAllText(RepoFiles.Path("tests/corpus/splunk-webhook/one-row.json"))));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(host.Logs.Messages, m => m.Contains("no token is configured") && m.Contains("SOAR_WEBHOOK_TOKEN"));
        Assert.Equal(1, host.Get<SplunkWebhookMetrics>().Disabled);
        Assert.Empty(host.Changes.All);
    }
}
