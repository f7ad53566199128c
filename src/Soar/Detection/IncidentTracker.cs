using Soar.Events;

namespace Soar.Detection;

/// <summary>
/// Turns rule matches into incidents, one per attacker key: a match for a key with an open
/// incident adds or updates a finding (an escalation when the severity rises); later failed
/// attempts from that attacker update its counts. Pure and single-threaded.
/// </summary>
public sealed class IncidentTracker
{
    private readonly Dictionary<IncidentKey, OpenIncident> _open = new();
    private long _nextId = 1;

    /// <summary>Every incident opened so far, as it stands now.</summary>
    public IEnumerable<Incident> Incidents => _open.Values.Select(o => o.Snapshot()).OrderBy(i => i.Id);

    public IncidentChange Apply(RuleMatch match)
    {
        if (!_open.TryGetValue(match.Key, out var incident))
        {
            incident = new OpenIncident(_nextId++, match.Key, match.LastSeen);
            _open[match.Key] = incident;
            incident.Add(match);
            return new IncidentChange(IncidentChangeKind.Opened, incident.Snapshot());
        }
        var before = incident.Severity;
        incident.Add(match);
        var kind = incident.Severity > before ? IncidentChangeKind.Escalated : IncidentChangeKind.Updated;
        return new IncidentChange(kind, incident.Snapshot());
    }

    /// <summary>A failed attempt from an attacker with an open incident updates its counts.</summary>
    public IncidentChange? Observe(AuthEvent authEvent)
    {
        if (!authEvent.Kind.IsFailedAttempt() || authEvent.SourceIp is not { } ip
            || !_open.TryGetValue(IncidentKey.SourceIp(ip), out var incident))
            return null;
        incident.AddAttempt(authEvent.Time, authEvent.User, authEvent.Host);
        return new IncidentChange(IncidentChangeKind.Updated, incident.Snapshot());
    }

    private sealed class OpenIncident(long id, IncidentKey key, DateTimeOffset openedAt)
    {
        private readonly Dictionary<string, Finding> _findings = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _users = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _hosts = new(StringComparer.Ordinal);
        private int _attempts;
        private DateTimeOffset _first = DateTimeOffset.MaxValue;
        private DateTimeOffset _last = DateTimeOffset.MinValue;

        public Severity Severity => _findings.Count == 0 ? Severity.Low : _findings.Values.Max(f => f.Severity);

        public void Add(RuleMatch match)
        {
            _findings[match.Rule] = _findings.TryGetValue(match.Rule, out var existing)
                ? existing with { Count = existing.Count + match.Count, LastSeen = Max(existing.LastSeen, match.LastSeen) }
                : new Finding(match.Rule, match.Title, match.Severity, match.Count, match.FirstSeen, match.LastSeen, match.Reason);
            // The opening match brings the attempts that made it fire; later ones arrive one by one.
            if (_attempts == 0) _attempts = match.Count;
            _users.UnionWith(match.Users);
            _hosts.UnionWith(match.Hosts);
            if (match.FirstSeen < _first) _first = match.FirstSeen;
            if (match.LastSeen > _last) _last = match.LastSeen;
        }

        public void AddAttempt(DateTimeOffset time, string? user, string host)
        {
            _attempts++;
            if (!string.IsNullOrEmpty(user)) _users.Add(user);
            if (host.Length > 0) _hosts.Add(host);
            if (time > _last) _last = time;
            if (time < _first) _first = time;
        }

        public Incident Snapshot() => new()
        {
            Id = id,
            Key = key,
            Status = IncidentStatus.Open,
            Findings = [.. _findings.Values.OrderBy(f => f.FirstSeen)],
            Users = [.. _users],
            Hosts = [.. _hosts],
            Attempts = _attempts,
            FirstSeen = _first,
            LastSeen = _last,
            OpenedAt = openedAt,
        };

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }
}
