using Microsoft.Extensions.Time.Testing;
using Soar.Api.Incidents;
using Soar.Events;

namespace Soar.Tests.Api.Incidents;

public class InMemoryIncidentViewTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Incident Incident(long id, int attempts, Severity severity = Severity.High) => new()
    {
        Id = id,
        Key = IncidentKey.SourceIp($"203.0.113.{id}"),
        Status = IncidentStatus.Open,
        Findings = [new Finding("ssh-bruteforce", "SSH brute force", severity, attempts, T0, T0, "test")],
        Users = [],
        Hosts = [],
        Attempts = attempts,
        FirstSeen = T0,
        LastSeen = T0,
        OpenedAt = T0,
    };

    [Fact]
    public async Task ConsecutiveUpdatesFoldIntoOneAuditEntryThatCountsThem()
    {
        var view = new InMemoryIncidentView(new FakeTimeProvider(T0));
        await view.RespondAsync(new IncidentChange(IncidentChangeKind.Opened, Incident(1, 11)), default);
        for (var i = 12; i <= 500; i++)
            await view.RespondAsync(new IncidentChange(IncidentChangeKind.Updated, Incident(1, i)), default);
        await view.RespondAsync(new IncidentChange(IncidentChangeKind.Escalated, Incident(1, 501, Severity.Critical)), default);
        await view.RespondAsync(new IncidentChange(IncidentChangeKind.Updated, Incident(1, 502, Severity.Critical)), default);

        var record = await view.GetAsync(1, default);

        Assert.NotNull(record);
        Assert.Equal([IncidentChangeKind.Opened, IncidentChangeKind.Updated, IncidentChangeKind.Escalated, IncidentChangeKind.Updated],
            record.Audit.Select(a => a.Change));
        Assert.Equal(489, record.Audit[1].Times);
        Assert.Equal(500, record.Audit[1].Attempts);
        Assert.Equal(502, record.Incident.Attempts);
        Assert.Equal(Severity.Critical, record.Incident.Severity);
    }

    [Fact]
    public async Task AnUnknownIdIsNull()
    {
        var view = new InMemoryIncidentView(new FakeTimeProvider(T0));

        Assert.Null(await view.GetAsync(1, default));
    }
}
