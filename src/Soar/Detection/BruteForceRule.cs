using Soar.Events;

namespace Soar.Detection;

/// <summary>
/// The original rule: more than <see cref="DetectionOptions.Threshold"/> failed attempts from one
/// source address within <see cref="DetectionOptions.Window"/> of event time. Fires once when the
/// count is crossed, then stays quiet for that address until its window has emptied. Pure and
/// single-threaded: the caller feeds events in order.
/// </summary>
public sealed class BruteForceRule
{
    public const string RuleId = "ssh-bruteforce";
    public const string RuleTitle = "SSH brute force";

    private readonly DetectionOptions _options;
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _observed;

    public BruteForceRule(DetectionOptions options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>Source addresses with live window state (for memory checks).</summary>
    public int TrackedSources => _windows.Count;

    public RuleMatch? Observe(AuthEvent authEvent)
    {
        if (!authEvent.Kind.IsFailedAttempt() || authEvent.SourceIp is not { } ip) return null;
        if (++_observed % 4096 == 0) DropExpiredWindows(authEvent.Time);

        if (!_windows.TryGetValue(ip, out var window)) _windows[ip] = window = new Window();
        var horizon = authEvent.Time - _options.Window;
        while (window.Attempts.Count > 0 && window.Attempts.Peek().Time <= horizon) window.Attempts.Dequeue();
        if (window.Fired && window.Attempts.Count == 0) window.Fired = false;
        window.Attempts.Enqueue(new Attempt(authEvent.Time, authEvent.User ?? "", authEvent.Host));
        if (window.Fired || window.Attempts.Count <= _options.Threshold) return null;

        window.Fired = true;
        var attempts = window.Attempts.ToArray();
        return new RuleMatch(RuleId, RuleTitle, Severity.High, IncidentKey.SourceIp(ip), attempts.Length,
            attempts[0].Time, attempts[^1].Time,
            [.. attempts.Select(a => a.User).Where(u => u.Length > 0).Distinct().Order(StringComparer.Ordinal)],
            [.. attempts.Select(a => a.Host).Where(h => h.Length > 0).Distinct().Order(StringComparer.Ordinal)],
            $"more than {_options.Threshold} failed logins within {_options.Window.TotalSeconds:0} s");
    }

    // A window whose newest attempt is older than the window can no longer fire.
    private void DropExpiredWindows(DateTimeOffset now)
    {
        var horizon = now - _options.Window;
        foreach (var (ip, window) in _windows)
        {
            if (window.Attempts.Count == 0 || window.Attempts.Last().Time <= horizon) _windows.Remove(ip);
        }
    }

    private readonly record struct Attempt(DateTimeOffset Time, string User, string Host);

    private sealed class Window
    {
        public readonly Queue<Attempt> Attempts = new();
        public bool Fired;
    }
}
