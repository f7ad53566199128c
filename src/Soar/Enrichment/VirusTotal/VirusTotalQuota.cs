namespace Soar.Enrichment.VirusTotal;

/// <summary>
/// The request budget for VirusTotal, shared by everything that calls it: at most
/// <see cref="VirusTotalOptions.RequestsPerMinute"/> calls in any 60 seconds and
/// <see cref="VirusTotalOptions.RequestsPerDay"/> in any 24 hours. Sliding windows are stricter
/// than VirusTotal's own (a calendar minute, a UTC day), so keeping to them never trips its quota.
/// Every HTTP attempt, retries included, takes a slot. Time comes from the injected clock.
/// </summary>
public sealed class VirusTotalQuota
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly int _perMinute;
    private readonly int _perDay;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<DateTimeOffset> _calls = []; // ascending, the last 24 hours
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private int _waiting;

    /// <param name="previousCalls">Calls made before a restart, so that a restart does not reset the budget.</param>
    public VirusTotalQuota(VirusTotalOptions options, TimeProvider time, IEnumerable<DateTimeOffset>? previousCalls = null)
    {
        _perMinute = options.RequestsPerMinute;
        _perDay = options.RequestsPerDay;
        _time = time;
        if (previousCalls is not null) _calls.AddRange(previousCalls.Order());
    }

    /// <summary>Raised, outside the lock, for every slot taken: the cache persists it.</summary>
    public event Action<DateTimeOffset>? CallRecorded;

    /// <summary>Callers blocked waiting for a slot now (tests advance a fake clock while this is above 0).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public DateTimeOffset PausedUntil { get { lock (_lock) return _pausedUntil; } }

    public int CallsInLastMinute
    {
        get
        {
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                Prune(now);
                return _calls.Count(c => c > now - Minute);
            }
        }
    }

    public int CallsInLastDay { get { lock (_lock) { Prune(_time.GetUtcNow()); return _calls.Count; } } }

    /// <summary>Zero when a call may go now; otherwise how long until one may.</summary>
    public TimeSpan DelayUntilAvailable()
    {
        lock (_lock) return Delay(_time.GetUtcNow());
    }

    /// <summary>Takes a slot if one is free now.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        DateTimeOffset now;
        lock (_lock)
        {
            now = _time.GetUtcNow();
            retryAfter = Delay(now);
            if (retryAfter > TimeSpan.Zero) return false;
            _calls.Add(now);
        }
        CallRecorded?.Invoke(now);
        return true;
    }

    /// <summary>Waits for a slot and takes it.</summary>
    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        while (!TryAcquire(out var delay)) await WaitAsync(delay, cancellationToken);
    }

    /// <summary>Waits until a slot is free, without taking it: the caller then picks the most urgent work.</summary>
    public async Task WaitUntilAvailableAsync(CancellationToken cancellationToken)
    {
        while (DelayUntilAvailable() is var delay && delay > TimeSpan.Zero) await WaitAsync(delay, cancellationToken);
    }

    /// <summary>No call before <paramref name="until"/>: VirusTotal said the quota is spent.</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_lock) if (until > _pausedUntil) _pausedUntil = until;
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private TimeSpan Delay(DateTimeOffset now)
    {
        Prune(now);
        var ready = _pausedUntil;
        // A call at time t counts in the window while now < t + window.
        var firstInMinute = _calls.FindIndex(c => c > now - Minute);
        var inMinute = firstInMinute < 0 ? 0 : _calls.Count - firstInMinute;
        if (inMinute >= _perMinute) ready = Max(ready, _calls[_calls.Count - _perMinute] + Minute);
        if (_calls.Count >= _perDay) ready = Max(ready, _calls[_calls.Count - _perDay] + Day);
        return ready > now ? ready - now : TimeSpan.Zero;
    }

    private void Prune(DateTimeOffset now)
    {
        var expired = _calls.FindIndex(c => c > now - Day);
        if (expired < 0) _calls.Clear();
        else if (expired > 0) _calls.RemoveRange(0, expired);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
