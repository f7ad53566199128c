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
        Assert.Equal("500 attempts, 489 updates", record.Audit[1].Detail);
        Assert.Equal("502 attempts", record.Audit[3].Detail);
        Assert.Equal(502, record.Incident.Attempts);
        Assert.Equal(Severity.Critical, record.Incident.Severity);
    }

    [Fact]
    public async Task OnlyTheNewestIncidentsAreKept()
    {
        var view = new InMemoryIncidentView(new FakeTimeProvider(T0));
        for (var id = 1; id <= InMemoryIncidentView.MaxIncidents + 5; id++)
            await view.RespondAsync(new IncidentChange(IncidentChangeKind.Opened, Incident(id, 11)), default);

        Assert.Null(await view.GetAsync(5, default));
        Assert.NotNull(await view.GetAsync(6, default));
        Assert.NotNull(await view.GetAsync(InMemoryIncidentView.MaxIncidents + 5, default));
    }

    [Fact]
    public async Task AnUnknownIdIsNull()
    {
        var view = new InMemoryIncidentView(new FakeTimeProvider(T0));

        Assert.Null(await view.GetAsync(1, default));
    }
}
