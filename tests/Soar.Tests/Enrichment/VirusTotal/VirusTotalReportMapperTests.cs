using Soar.Enrichment;
using Soar.Enrichment.VirusTotal;

namespace Soar.Tests.Enrichment.VirusTotal;

public sealed class VirusTotalReportMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryListedAttributeIsMapped()
    {
        var report = VirusTotalReportMapper.Map("45.1.2.3", FakeVirusTotalServer.IpObject("45.1.2.3", 6), Now);

        Assert.Equal(IntelStatus.Found, report.Status);
        Assert.Equal((6, 1, 58, 29, 0), (report.Malicious, report.Suspicious, report.Harmless, report.Undetected, report.Timeout));
        Assert.Equal(-14, report.Reputation);
        Assert.Equal("NL", report.Country);
        Assert.Equal("Example Hosting Ltd", report.AsOwner);
        Assert.Equal(64500, report.Asn);
        Assert.Equal("45.1.2.3/32", report.Network);
        Assert.Equal(["scanner"], report.Tags);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), report.LastAnalysisDate);
        Assert.Equal("https://www.virustotal.com/gui/ip-address/45.1.2.3", report.GuiLink);
        Assert.Equal(Now, report.FetchedAt);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"data": null}""")]
    [InlineData("""{"data": {"attributes": {}}}""")]
    [InlineData("""{"data": {"attributes": {"asn": "not a number", "tags": "x", "country": 7, "last_analysis_stats": []}}}""")]
    [InlineData("""{"data": {"attributes": {"last_analysis_date": 99999999999999, "reputation": 1e40}}}""")]
    [InlineData("[]")]
    public void MissingOrOddAttributesAreAbsentNotFatal(string json)
    {
        var report = VirusTotalReportMapper.Map("45.1.2.3", json, Now);

        Assert.Equal(IntelStatus.Found, report.Status);
        Assert.Null(report.Malicious);
        Assert.Null(report.Asn);
        Assert.Null(report.Country);
        Assert.Null(report.LastAnalysisDate);
        Assert.Null(report.Reputation);
        Assert.Empty(report.Tags);
    }
}
