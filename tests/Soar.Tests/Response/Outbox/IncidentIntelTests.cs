using Microsoft.Extensions.Logging.Abstractions;
using Soar.Enrichment;
using Soar.Events;
using Soar.Response;
using Soar.Response.Outbox;

namespace Soar.Tests.Response.Outbox;

public class IncidentIntelTests
{
    private readonly IncidentIntel _intel = new(new NotConfiguredThreatIntel(), new ResponseOptions(), NullLogger<IncidentIntel>.Instance);

    [Fact]
    public async Task AnAttackerAddressIsLookedUp() =>
        Assert.Equal(IntelStatus.NotConfigured, (await _intel.LookupAsync(TestIncidents.Make(), CancellationToken.None)).Status);

    [Fact]
    public async Task APerUserIncidentHasNoAddressToLookUp()
    {
        var report = await _intel.LookupAsync(TestIncidents.Make(key: IncidentKey.User("root")), CancellationToken.None);
        Assert.Equal(IntelStatus.Unavailable, report.Status);
        Assert.Equal("no single attacker address", report.Note);
    }
}
