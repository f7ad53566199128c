using Soar.Enrichment;
using Soar.Events;
using Soar.Storage.Sqlite;

namespace Soar.Response.Outbox;

/// <summary>
/// A threat-intel report that arrives after its cards went out without it (the lookup was still
/// pending). When it raises the attacker's open incident, that is an escalation: stored, audited and
/// sent as one <see cref="IncidentChangeKind.Escalated"/> change, whose delivery carries the intel too.
/// Otherwise the cards get one update with the verdict (<see cref="OutboxWriter.RefreshIntel"/>).
/// Wired to <see cref="IThreatIntel.ReportReady"/>.
/// </summary>
public sealed class LateIntel(PendingIntel pending, IncidentStore incidents, SeverityPolicy policy, OutboxWriter writer)
{
    public void OnReport(IntelReport report)
    {
        if (!pending.Contains(report.Ip)) return; // every card of this address already had its intel
        if (incidents.FindOpen(IncidentKey.SourceIp(report.Ip)) is { } incident)
        {
            var (severity, reason) = policy.Classify(incident, report);
            if (severity > incident.Severity && incidents.RaiseSeverity(incident.Id, severity, reason))
            {
                pending.TryTake(report.Ip); // the escalation is the one card update
                return;
            }
        }
        writer.RefreshIntel(report.Ip);
    }
}
