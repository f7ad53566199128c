using System.Net;
using Soar.Events;

namespace Soar.Enrichment.Local;

/// <summary>
/// Adds local blocklist hits to whatever the inner threat intelligence reports, including the
/// reports it announces later through <see cref="IThreatIntel.ReportReady"/>.
/// </summary>
public sealed class BlocklistThreatIntel : IThreatIntel
{
    private readonly IThreatIntel _inner;
    private readonly LocalBlocklists _blocklists;

    public BlocklistThreatIntel(IThreatIntel inner, LocalBlocklists blocklists)
    {
        _inner = inner;
        _blocklists = blocklists;
        _inner.ReportReady += (_, report) => ReportReady?.Invoke(this, WithHits(report));
    }

    public event EventHandler<IntelReport>? ReportReady;

    public async ValueTask<IntelReport> LookupAsync(string ip, Severity priority, TimeSpan wait, CancellationToken cancellationToken) =>
        WithHits(await _inner.LookupAsync(ip, priority, wait, cancellationToken));

    private IntelReport WithHits(IntelReport report)
    {
        if (!IPAddress.TryParse(report.Ip, out var address)) return report;
        var hits = _blocklists.Match(address);
        return hits.Count == 0 ? report : report with { BlocklistHits = hits };
    }
}
