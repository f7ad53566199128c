using Soar.Events;

namespace Soar.Detection;

/// <summary>
/// The original rule: more than <see cref="DetectionOptions.Threshold"/> failed attempts from one
/// source address within <see cref="DetectionOptions.Window"/> of event time opens one incident;
/// later failures from that address update it. Pure and single-threaded: the caller feeds
/// events in order and hears about incident changes.
/// </summary>
public sealed class BruteForceDetector
{
    public const string RuleId = "ssh-bruteforce";
    public const string RuleTitle = "SSH brute force";

    private readonly DetectionOptions _options;
    private readonly Dictionary<string, Queue<Attempt>> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OpenIncident> _open = new(StringComparer.Ordinal);
    private long _nextId = 1;
    private long _observed;

    public BruteForceDetector(DetectionOptions options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>Every incident this detector has opened, as it stands now.</summary>
    public IEnumerable<Incident> Incidents => _open.Values.Select(o => o.Snapshot()).OrderBy(i => i.Id);

    /// <summary>Source addresses with live window state (for memory checks).</summary>
    public int TrackedSources => _windows.Count;

    /// <summary>Feeds one event; returns the incident change it caused, if any.</summary>
    public IncidentChange? Observe(AuthEvent authEvent)
    {
        if (!authEvent.Kind.IsFailedAttempt() || authEvent.SourceIp is not { } ip) return null;
        if (++_observed % 4096 == 0) DropExpiredWindows(authEvent.Time);

        var attempt = new Attempt(authEvent.Time, authEvent.User ?? "", authEvent.Host);
        if (_open.TryGetValue(ip, out var incident))
        {
            incident.Add(attempt);
            return new IncidentChange(IncidentChangeKind.Updated, incident.Snapshot());
        }

        if (!_windows.TryGetValue(ip, out var window)) _windows[ip] = window = new Queue<Attempt>();
        window.Enqueue(attempt);
        while (window.Peek().Time <= authEvent.Time - _options.Window) window.Dequeue();
        if (window.Count <= _options.Threshold) return null;

        incident = new OpenIncident(_nextId++, ip, _options);
        foreach (var earlier in window) incident.Add(earlier);
        _windows.Remove(ip);
        _open[ip] = incident;
        return new IncidentChange(IncidentChangeKind.Opened, incident.Snapshot());
    }

    // A window whose newest attempt is older than the window can no longer fire.
    private void DropExpiredWindows(DateTimeOffset now)
    {
        var horizon = now - _options.Window;
        foreach (var (ip, window) in _windows)
        {
            if (window.Count == 0 || window.Last().Time <= horizon) _windows.Remove(ip);
        }
    }

    private readonly record struct Attempt(DateTimeOffset Time, string User, string Host);

    private sealed class OpenIncident(long id, string ip, DetectionOptions options)
    {
        private readonly SortedSet<string> _users = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _hosts = new(StringComparer.Ordinal);
        private int _attempts;
        private DateTimeOffset _first = DateTimeOffset.MaxValue;
        private DateTimeOffset _last = DateTimeOffset.MinValue;
        private DateTimeOffset? _opened;

        public void Add(Attempt attempt)
        {
            _attempts++;
            if (attempt.Time < _first) _first = attempt.Time;
            if (attempt.Time > _last) _last = attempt.Time;
            if (attempt.User.Length > 0) _users.Add(attempt.User);
            if (attempt.Host.Length > 0) _hosts.Add(attempt.Host);
        }

        public Incident Snapshot()
        {
            _opened ??= _last;
            var finding = new Finding(RuleId, RuleTitle, Severity.High, _attempts, _first, _last,
                $"more than {options.Threshold} failed logins within {options.Window.TotalSeconds:0} s");
            return new Incident
            {
                Id = id,
                Key = IncidentKey.SourceIp(ip),
                Status = IncidentStatus.Open,
                Findings = [finding],
                Users = [.. _users],
                Hosts = [.. _hosts],
                Attempts = _attempts,
                FirstSeen = _first,
                LastSeen = _last,
                OpenedAt = _opened.Value,
            };
        }
    }
}
