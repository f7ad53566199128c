using Soar.Detection.Attempts;
using Soar.Detection.Rules;
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

    /// <summary>One signal and what the rules made of it: the attacker's open incidents take the signal, the
    /// matches open incidents or add findings. Changes go to <paramref name="changes"/>, one per incident;
    /// without a list (replay, which wants only the incidents) no snapshot is made.</summary>
    public void Observe(in Signal signal, List<RuleHit> hits, List<IncidentChange>? changes)
    {
        // Checked at most every 30 s of event time: a scan of every open incident per signal would cost too much.
        if (signal.Time >= _nextResolveCheck)
        {
            _nextResolveCheck = signal.Time + ResolveCheckInterval;
            ResolveQuiet(signal.Time, changes);
        }
        _touched.Clear();
        OpenIncident? bySource = null, byUser = null;
        if (signal.SourceIp is { } ip && _open.TryGetValue(IncidentKey.SourceIp(ip), out bySource))
            Touch(bySource, ChangeSet.Updated).AddSignal(signal, addUser: true);
        if (signal.User is { Length: > 0 } user && _open.TryGetValue(IncidentKey.User(user), out byUser))
            Touch(byUser, ChangeSet.Updated).AddSignal(signal, addUser: false);
        foreach (var hit in hits)
        {
            // A continuation for an incident that has the rule's finding updates it in place; anything else
            // (the incident resolved meanwhile, a finding from elsewhere) takes the full path.
            var incident = hit.Rule.GroupBy == KeyField.SourceIp ? bySource : byUser;
            if (hit.IsContinuation && incident is not null && incident.TryContinue(hit.Rule, signal))
                Touch(incident, ChangeSet.Updated);
            else
                Touch(ApplyMatch(hit.Match ?? RuleEngine.Continuation(hit, signal), out var change), change);
        }
        if (changes is null) return;
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
    public void ResolveQuiet(DateTimeOffset now, List<IncidentChange>? changes)
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
            changes?.Add(new IncidentChange(IncidentChangeKind.Resolved, snapshot,
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

        private readonly List<FindingState> _findings = [];  // in snapshot order: first seen, then rule
        private readonly SortedSet<string> _users = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _hosts = new(StringComparer.Ordinal);
        private readonly DateTimeOffset _openedAt;
        private int _attempts;
        private DateTimeOffset _first = DateTimeOffset.MaxValue;
        // The last snapshot and its lists, shared until something in them changes.
        private Incident? _snapshot;
        private Finding[]? _findingList;
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
            foreach (var f in stored.Findings) Insert(new FindingState(f));
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
            var finding = Find(match.Rule);
            var isNew = finding is null;
            if (isNew)
                Insert(new FindingState(new Finding(match.Rule, match.Title, match.Severity, match.Count, match.FirstSeen,
                    match.LastSeen, match.Reason)));
            else finding!.Add(match.Count, match.LastSeen);
            _findingList = null;
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

        /// <summary>
        /// A continuation of <paramref name="rule"/>, in place: what <see cref="AddMatch"/> does with the
        /// continuation's match, without making one. False, and nothing changed, when the incident lacks the
        /// rule's finding or the match could change more than the finding (severity, the opening attempts).
        /// </summary>
        public bool TryContinue(RuleDefinition rule, in Signal signal)
        {
            if (_attempts == 0 || rule.Severity > Severity || Find(rule.Id) is not { } finding) return false;
            finding.Add(1, signal.Time);
            _findingList = null;
            if (!string.IsNullOrEmpty(signal.User)) AddUser(signal.User);
            AddHost(signal.Host);
            if (signal.Time < _first) _first = signal.Time;
            if (signal.Time > LastSeen) LastSeen = signal.Time;
            _snapshot = null;
            return true;
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

        private FindingState? Find(string rule)
        {
            foreach (var finding in _findings)
            {
                if (string.Equals(finding.Rule, rule, StringComparison.Ordinal)) return finding;
            }
            return null;
        }

        // A finding's first_seen never changes, so its place in the order is found once.
        private void Insert(FindingState finding)
        {
            var i = _findings.Count;
            while (i > 0 && Compare(_findings[i - 1], finding) > 0) i--;
            _findings.Insert(i, finding);

            static int Compare(FindingState a, FindingState b) => a.FirstSeen != b.FirstSeen
                ? a.FirstSeen.CompareTo(b.FirstSeen)
                : string.CompareOrdinal(a.Rule, b.Rule);
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
            Findings = _findingList ??= _findings.ConvertAll(f => f.Current).ToArray(),
            Users = _userList ??= [.. _users],
            Hosts = _hostList ??= [.. _hosts],
            Attempts = _attempts,
            FirstSeen = _first,
            LastSeen = LastSeen,
            OpenedAt = _openedAt,
        };
    }

    // Counts from Splunk can be as large as an int: adding must not wrap them negative.
    private static int SaturatingAdd(int a, int b) => (int)Math.Min((long)a + b, int.MaxValue);

    /// <summary>One finding of an open incident, updated in place; a <see cref="Finding"/> record is made
    /// only when a snapshot asks for it after a change.</summary>
    private sealed class FindingState(Finding finding)
    {
        private Finding _finding = finding;
        private int _count = finding.Count;
        private DateTimeOffset _lastSeen = finding.LastSeen;

        public string Rule => _finding.Rule;
        public DateTimeOffset FirstSeen => _finding.FirstSeen;

        public void Add(int count, DateTimeOffset lastSeen)
        {
            _count = SaturatingAdd(_count, count);
            if (lastSeen > _lastSeen) _lastSeen = lastSeen;
        }

        public Finding Current => _finding.Count == _count && _finding.LastSeen == _lastSeen
            ? _finding
            : _finding = _finding with { Count = _count, LastSeen = _lastSeen };
    }
}
