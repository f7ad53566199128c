using Soar.Detection.Attempts;
using Soar.Events;

namespace Soar.Detection;

/// <summary>
/// Turns rule matches into incidents, one per attacker key: a match for a key with an open incident
/// adds or updates a finding (an escalation when the severity rises); later signals from that
/// attacker update its counts, users, hosts and last_seen. An incident quiet for
/// <see cref="DetectionOptions.QuietPeriod"/> of event time resolves; a later match opens a new one.
/// Each call yields at most one change per incident. Pure and single-threaded.
/// </summary>
public sealed class IncidentTracker
{
    /// <summary>Resolved incidents kept in memory for <see cref="Incidents"/> by default; the store keeps them all.</summary>
    public const int DefaultResolvedKept = 10_000;
    private static readonly TimeSpan ResolveCheckInterval = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _quietPeriod;
    private readonly Dictionary<IncidentKey, OpenIncident> _open = new();
    private readonly Queue<Incident> _resolved = new();
    private readonly List<(OpenIncident Incident, ChangeSet Change)> _touched = [];
    private long _nextId = 1;
    private DateTimeOffset _nextResolveCheck = DateTimeOffset.MinValue;

    private readonly int _resolvedKept;

    /// <param name="quietPeriod">Event time without activity after which an incident resolves.</param>
    /// <param name="resolvedKept">How many resolved incidents <see cref="Incidents"/> remembers (replay keeps all).</param>
    public IncidentTracker(TimeSpan? quietPeriod = null, int resolvedKept = DefaultResolvedKept)
    {
        _resolvedKept = resolvedKept;
        _quietPeriod = quietPeriod ?? new DetectionOptions().QuietPeriod;
        if (_quietPeriod <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(quietPeriod), "must be positive");
    }

    /// <summary>Recent incidents, resolved and open, as they stand now, by id.</summary>
    public IEnumerable<Incident> Incidents =>
        _resolved.Concat(_open.Values.Select(o => o.Snapshot())).OrderBy(i => i.Id);

    public int OpenCount => _open.Count;

    /// <summary>Takes back the open incidents of a previous run (from the store), so that they go on being updated.</summary>
    public void Restore(IEnumerable<Incident> open, long nextId)
    {
        foreach (var incident in open.Where(i => i.Status == IncidentStatus.Open)) _open[incident.Key] = new OpenIncident(incident);
        _nextId = Math.Max(_nextId, nextId);
        if (_open.Count > 0) _nextId = Math.Max(_nextId, _open.Values.Max(o => o.Id) + 1);
    }

    /// <summary>One signal and the matches it caused: the attacker's open incidents take the signal, the
    /// matches open incidents or add findings. Changes go to <paramref name="changes"/>, one per incident.</summary>
    public void Observe(in Signal signal, List<RuleMatch> matches, List<IncidentChange> changes)
    {
        // Checked at most every 30 s of event time: a scan of every open incident per signal would cost too much.
        if (signal.Time >= _nextResolveCheck)
        {
            _nextResolveCheck = signal.Time + ResolveCheckInterval;
            ResolveQuiet(signal.Time, changes);
        }
        _touched.Clear();
        if (signal.SourceIp is { } ip && _open.TryGetValue(IncidentKey.SourceIp(ip), out var bySource))
            Touch(bySource, ChangeSet.Updated).AddSignal(signal, addUser: true);
        if (signal.User is { Length: > 0 } user && _open.TryGetValue(IncidentKey.User(user), out var byUser))
            Touch(byUser, ChangeSet.Updated).AddSignal(signal, addUser: false);
        foreach (var match in matches) Touch(ApplyMatch(match, out var change), change);
        foreach (var (incident, change) in _touched)
            changes.Add(new IncidentChange(change.Kind(incident), incident.Snapshot(), change.Detail(incident), signal.Time));
    }

    /// <summary>A match made elsewhere (a Splunk alert) joins the incidents like a local one. Quiet incidents
    /// resolve on the next signal or tick, never here, so that no Resolved change is lost.</summary>
    public IncidentChange Apply(RuleMatch match)
    {
        var incident = ApplyMatch(match, out var change);
        return new IncidentChange(change.Kind(incident), incident.Snapshot(), change.Detail(incident), match.LastSeen);
    }

    /// <summary>Resolves the incidents quiet for the quiet period as of <paramref name="now"/> (event time). Leaves
    /// the signals' own check alone, so that a tick on the clock cannot hold back older events' checks.</summary>
    public void ResolveQuiet(DateTimeOffset now, List<IncidentChange> changes)
    {
        List<OpenIncident>? quiet = null;
        foreach (var incident in _open.Values)
        {
            if (now - incident.LastSeen >= _quietPeriod) (quiet ??= []).Add(incident);
        }
        if (quiet is null) return;
        foreach (var incident in quiet.OrderBy(i => i.Id))
        {
            _open.Remove(incident.Key);
            var snapshot = incident.Snapshot() with { Status = IncidentStatus.Resolved };
            _resolved.Enqueue(snapshot);
            if (_resolved.Count > _resolvedKept) _resolved.Dequeue();
            changes.Add(new IncidentChange(IncidentChangeKind.Resolved, snapshot,
                $"resolved: no activity for {Rules.Durations.Format(_quietPeriod)}", incident.LastSeen + _quietPeriod));
        }
    }

    private OpenIncident ApplyMatch(RuleMatch match, out ChangeSet change)
    {
        if (!_open.TryGetValue(match.Key, out var incident))
        {
            incident = new OpenIncident(_nextId++, match.Key, match.LastSeen);
            _open[match.Key] = incident;
            incident.AddMatch(match);
            change = ChangeSet.Opened(match);
            return incident;
        }
        var before = incident.Severity;
        var isNewFinding = incident.AddMatch(match);
        change = incident.Severity > before ? ChangeSet.Escalated(match, before)
            : isNewFinding ? ChangeSet.Finding(match) : ChangeSet.Updated;
        return incident;
    }

    private OpenIncident Touch(OpenIncident incident, ChangeSet change)
    {
        for (var i = 0; i < _touched.Count; i++)
        {
            if (_touched[i].Incident != incident) continue;
            _touched[i] = (incident, _touched[i].Change.Merge(change));
            return incident;
        }
        _touched.Add((incident, change));
        return incident;
    }

    /// <summary>What happened to one incident during one call; the strongest change wins.</summary>
    private readonly record struct ChangeSet(IncidentChangeKind Change, RuleMatch? Match, Severity Before, bool NewFinding)
    {
        public static readonly ChangeSet Updated = new(IncidentChangeKind.Updated, null, 0, false);
        public static ChangeSet Opened(RuleMatch m) => new(IncidentChangeKind.Opened, m, 0, true);
        public static ChangeSet Escalated(RuleMatch m, Severity before) => new(IncidentChangeKind.Escalated, m, before, true);
        public static ChangeSet Finding(RuleMatch m) => new(IncidentChangeKind.Updated, m, 0, true);

        private int Rank => Change switch
        {
            IncidentChangeKind.Opened => 4,
            IncidentChangeKind.Escalated => 3,
            _ => NewFinding ? 2 : 1,
        };

        public ChangeSet Merge(ChangeSet other) => other.Rank > Rank ? other : this;

        public IncidentChangeKind Kind(OpenIncident _) => Change;

        public string Detail(OpenIncident incident) => Change switch
        {
            IncidentChangeKind.Opened => $"opened by {Match!.Rule} ({Match.Severity.Name()}): {Match.Reason}; {Match.Count} matching",
            IncidentChangeKind.Escalated =>
                $"escalated {Before.Name()} → {incident.Severity.Name()} by {Match!.Rule}: {Match.Reason}",
            _ when NewFinding => $"finding {Match!.Rule} ({Match.Severity.Name()}): {Match.Reason}",
            // Plain updates (one more attempt) are the bulk: no text to format; the store says what it needs.
            _ => "",
        };
    }

    private sealed class OpenIncident
    {
        private const int UsersKept = 500;
        private const int HostsKept = 100;

        private readonly Dictionary<string, Finding> _findings = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _users = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _hosts = new(StringComparer.Ordinal);
        private readonly DateTimeOffset _openedAt;
        private int _attempts;
        private DateTimeOffset _first = DateTimeOffset.MaxValue;
        private Incident? _snapshot;
        private Finding[]? _findingList;  // in snapshot order; shared with the last snapshot
        private string[]? _userList;
        private string[]? _hostList;

        public OpenIncident(long id, IncidentKey key, DateTimeOffset openedAt)
        {
            Id = id;
            Key = key;
            _openedAt = openedAt;
            LastSeen = DateTimeOffset.MinValue;
        }

        public OpenIncident(Incident stored) : this(stored.Id, stored.Key, stored.OpenedAt)
        {
            foreach (var f in stored.Findings) _findings[f.Rule] = f;
            _users.UnionWith(stored.Users);
            _hosts.UnionWith(stored.Hosts);
            _attempts = stored.Attempts;
            _first = stored.FirstSeen;
            LastSeen = stored.LastSeen;
            Severity = stored.Severity;
        }

        public long Id { get; }
        public IncidentKey Key { get; }
        public DateTimeOffset LastSeen { get; private set; }
        public int Attempts => _attempts;
        public Severity Severity { get; private set; }

        /// <summary>Adds or updates the rule's finding; true when the rule is new to this incident.</summary>
        public bool AddMatch(RuleMatch match)
        {
            var isNew = !_findings.TryGetValue(match.Rule, out var existing);
            var finding = isNew
                ? new Finding(match.Rule, match.Title, match.Severity, match.Count, match.FirstSeen, match.LastSeen, match.Reason)
                : existing! with
                {
                    Count = SaturatingAdd(existing.Count, match.Count),
                    LastSeen = Max(existing.LastSeen, match.LastSeen),
                };
            _findings[match.Rule] = finding;
            if (isNew || _findingList is null || finding.FirstSeen != existing!.FirstSeen) _findingList = null;
            else
            {
                // Same place in the order: copy (earlier snapshots keep theirs) and replace, no sort.
                var list = (Finding[])_findingList.Clone();
                list[Array.IndexOf(list, existing)] = finding;
                _findingList = list;
            }
            if (match.Severity > Severity) Severity = match.Severity;
            // The opening match brings the attempts that made it fire; later ones arrive one signal at a time.
            if (_attempts == 0) _attempts = match.Count;
            foreach (var user in match.Users) AddUser(user);
            foreach (var host in match.Hosts) AddHost(host);
            if (match.FirstSeen < _first) _first = match.FirstSeen;
            if (match.LastSeen > LastSeen) LastSeen = match.LastSeen;
            _snapshot = null;
            return isNew;
        }

        public void AddSignal(in Signal signal, bool addUser)
        {
            if (signal.Kind != SignalKind.Success) _attempts = SaturatingAdd(_attempts, 1);
            if (addUser && !string.IsNullOrEmpty(signal.User)) AddUser(signal.User);
            AddHost(signal.Host);
            if (signal.Time > LastSeen) LastSeen = signal.Time;
            if (signal.Time < _first) _first = signal.Time;
            _snapshot = null;
        }

        private void AddUser(string user)
        {
            if (_users.Count < UsersKept && _users.Add(user)) _userList = null;
        }

        private void AddHost(string host)
        {
            if (host.Length > 0 && _hosts.Count < HostsKept && _hosts.Add(host)) _hostList = null;
        }

        /// <summary>An immutable view; lists that did not change are shared with the previous one.</summary>
        public Incident Snapshot() => _snapshot ??= new Incident
        {
            Id = Id,
            Key = Key,
            Status = IncidentStatus.Open,
            Findings = _findingList ??= [.. _findings.Values.OrderBy(f => f.FirstSeen).ThenBy(f => f.Rule, StringComparer.Ordinal)],
            Users = _userList ??= [.. _users],
            Hosts = _hostList ??= [.. _hosts],
            Attempts = _attempts,
            FirstSeen = _first,
            LastSeen = LastSeen,
            OpenedAt = _openedAt,
        };

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

        // Counts from Splunk can be as large as an int: adding must not wrap them negative.
        private static int SaturatingAdd(int a, int b) => (int)Math.Min((long)a + b, int.MaxValue);
    }
}
