using System.Net;
using System.Text;
using Soar.Enrichment.VirusTotal;

namespace Soar.Tests.Enrichment.VirusTotal;

public sealed class VirusTotalClientTests
{
    private static (string? Code, string Message) Read(HttpStatusCode status, string body, string contentType)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        return VirusTotalClient.ReadError(response, body);
    }

    [Fact]
    public void TheDocumentedErrorBodyGivesCodeAndMessage() =>
        Assert.Equal(("WrongCredentialsError", "HTTP 401 WrongCredentialsError: Wrong API key"),
            Read(HttpStatusCode.Unauthorized, """{"error": {"code": "WrongCredentialsError", "message": "Wrong API key"}}""", "application/json"));

    [Fact]
    public void AnHtmlPageGivesTheStatusAndTheStartOfTheText() =>
        Assert.Equal((null, "HTTP 502: <html>Bad Gateway</html>"),
            Read(HttpStatusCode.BadGateway, "<html>Bad Gateway</html>", "text/html"));

    [Fact]
    public void ABodyThatClaimsJsonButIsNotIsReadAsText() =>
        Assert.Equal((null, "HTTP 500: oops"), Read(HttpStatusCode.InternalServerError, "oops", "application/json"));

    [Fact]
    public void AnEmptyBodyGivesTheStatusAlone() =>
        Assert.Equal((null, "HTTP 504"), Read(HttpStatusCode.GatewayTimeout, "", "text/plain"));

    [Fact]
    public void ControlCharactersInAnErrorAreMadeVisibleNotPassedOn()
    {
        var (_, message) = Read(HttpStatusCode.ServiceUnavailable, "down\u001b[31m\nnow", "text/plain");
        Assert.DoesNotContain('\u001b', message);
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("HTTP 503: down", message);
    }
}
