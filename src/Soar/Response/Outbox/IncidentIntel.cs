using System.Net;
using Microsoft.Extensions.Logging;
using Soar.Enrichment;
using Soar.Events;

namespace Soar.Response.Outbox;

/// <summary>
/// The response stage's view of threat intel: the report on an incident's attacker, waiting at
/// most <see cref="ResponseOptions.IntelWait"/> for a lookup in progress. A per-user incident has
/// no single address; a failing lookup never holds a card back.
/// </summary>
public partial class IncidentIntel(IThreatIntel intel, ResponseOptions options, ILogger<IncidentIntel> logger)
{
    public virtual async ValueTask<IntelReport> LookupAsync(Incident incident, CancellationToken cancellationToken)
    {
        if (incident.Key.Field != "src_ip" || !IPAddress.TryParse(incident.Key.Value, out _))
            return new IntelReport { Ip = "", Status = IntelStatus.Unavailable, Note = "no single attacker address" };
        try
        {
            return await intel.LookupAsync(incident.Key.Value, incident.Severity, options.IntelWait, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogIntelFailed(e);
            return new IntelReport { Ip = incident.Key.Value, Status = IntelStatus.Unavailable, Note = "threat intel failed" };
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Threat intel lookup failed; the card goes out without it")]
    private partial void LogIntelFailed(Exception exception);
}
