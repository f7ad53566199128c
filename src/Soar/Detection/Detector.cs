using System.Runtime.InteropServices;
using Soar.Detection.Attempts;
using Soar.Detection.Rules;
using Soar.Events;

namespace Soar.Detection;

/// <summary>
/// Detection as one stage: lines become attempts (<see cref="AttemptCounter"/>), attempts go through
/// every rule (<see cref="RuleEngine"/>), matches become incidents (<see cref="IncidentTracker"/>).
/// Runs on event time; events from the allowlist are ignored, and events older than the newest seen
/// on their host by more than the tolerance are late: counted, not used. Pure and single-threaded.
/// </summary>
public sealed class Detector
{
    private readonly AttemptCounter _attempts = new();
    private readonly RuleEngine _engine;
    private readonly IncidentTracker _incidents;
    private readonly Allowlist _allowlist;
    private readonly TimeSpan _tolerance;
    private readonly List<Signal> _signals = [];
    private readonly List<RuleHit> _matches = [];
    private const int MaxHosts = 100_000;
    private readonly Dictionary<string, DateTimeOffset> _newestByHost = new(StringComparer.Ordinal);
    private DateTimeOffset _newest = DateTimeOffset.MinValue;

    public Detector(IReadOnlyList<RuleDefinition> rules, IncidentTracker incidents, Allowlist? allowlist = null,
        TimeSpan? outOfOrderTolerance = null)
    {
        _engine = new RuleEngine(rules);
        _incidents = incidents;
        _allowlist = allowlist ?? Allowlist.Empty;
        _tolerance = outOfOrderTolerance ?? new DetectionOptions().OutOfOrderTolerance;
    }

    /// <summary>The default rules and settings, in memory: what <c>soar replay</c> uses.</summary>
    public static Detector CreateDefault(DetectionOptions? options = null,
        int resolvedKept = IncidentTracker.DefaultResolvedKept)
    {
        options ??= new DetectionOptions();
        var (rules, allowlist) = options.Validate();
        return new Detector(rules, new IncidentTracker(options.QuietPeriod, resolvedKept), allowlist, options.OutOfOrderTolerance);
    }

    public IReadOnlyList<RuleDefinition> Rules => _engine.Rules;
    public IEnumerable<Incident> Incidents => _incidents.Incidents;

    /// <summary>Events dropped for arriving later than the tolerance allows.</summary>
    public long LateEvents { get; private set; }
    /// <summary>Events from allowlisted sources.</summary>
    public long AllowlistedEvents { get; private set; }
    /// <summary>Attempts and probes counted (each once, however many lines it took).</summary>
    public long Signals { get; private set; }
    /// <summary>Keys and connections with live window state (for memory checks).</summary>
    public int TrackedState => _engine.TrackedKeys + _attempts.TrackedConnections;

    /// <summary>Feeds one event; adds the incident changes it caused, in order, to <paramref name="changes"/>
    /// (null when only <see cref="Incidents"/> matter, as in replay: no snapshots are made).</summary>
    public void Observe(AuthEvent authEvent, List<IncidentChange>? changes)
    {
        // Order is judged per host: each sshd's log is in order, hosts' clocks differ, and one
        // host's clock (or a forged line) cannot make every other host's events late.
        ref var newest = ref CollectionsMarshal.GetValueRefOrAddDefault(_newestByHost, authEvent.Host, out _);
        if (authEvent.Time > newest) newest = authEvent.Time;
        else if (newest - authEvent.Time > _tolerance)
        {
            LateEvents++;
            return;
        }
        if (authEvent.Time > _newest) _newest = authEvent.Time;
        if (_newestByHost.Count > MaxHosts) _newestByHost.Clear();
        if (!_allowlist.IsEmpty && _allowlist.Contains(authEvent.SourceIp))
        {
            AllowlistedEvents++;
            return;
        }
        _signals.Clear();
        _attempts.Count(authEvent, _signals);
        foreach (var signal in _signals)
        {
            Signals++;
            _matches.Clear();
            _engine.Observe(signal, _matches);
            _incidents.Observe(signal, _matches, changes);
        }
    }

    /// <summary>A match made elsewhere (a Splunk alert) joins the incidents like a local one; one for an allowlisted
    /// source is counted in <see cref="AllowlistedEvents"/> like a local event, and changes nothing (null).</summary>
    public IncidentChange? Apply(RuleMatch match)
    {
        if (match.Key.Field == "src_ip" && _allowlist.Contains(match.Key.Value))
        {
            AllowlistedEvents++;
            return null;
        }
        return _incidents.Apply(match);
    }

    /// <summary>Lets time pass without events (live ingest on a quiet night): event time is taken to have moved
    /// on from the newest event by <paramref name="idleFor"/> of real time, and quiet incidents resolve. Before
    /// any event (incidents from Splunk alerts, or restored from the store) event time is the clock's
    /// <paramref name="now"/>.</summary>
    public void Tick(TimeSpan idleFor, DateTimeOffset now, List<IncidentChange> changes) =>
        _incidents.ResolveQuiet(_newest != DateTimeOffset.MinValue ? _newest + idleFor : now, changes);
}
