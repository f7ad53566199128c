using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Soar.Events;

namespace Soar.Enrichment.VirusTotal;

/// <summary>Whether VirusTotal enrichment works; read by the health check.</summary>
public enum VirusTotalState : byte
{
    Ok,
    /// <summary>The last lookup failed (5xx, timeout) or the quota is spent; lookups go on.</summary>
    Degraded,
    /// <summary>VirusTotal rejected the key: switched off until restart.</summary>
    Disabled,
}

/// <summary>
/// VirusTotal threat intelligence behind <see cref="IThreatIntel"/>. Internal addresses are never
/// sent; answers come from the persistent cache when fresh; otherwise the address joins one
/// queue, served highest severity first (then first come) by one worker that waits for the
/// shared <see cref="VirusTotalQuota"/>. Concurrent lookups of one address share one call.
/// A caller waits up to its deadline and then gets a Pending report; the outcome follows through
/// <see cref="ReportReady"/>. Nothing queued is dropped.
/// </summary>
public sealed partial class VirusTotalEnricher : IThreatIntel, IAsyncDisposable
{
    private readonly VirusTotalClient _client;
    private readonly VirusTotalCache _cache;
    private readonly VirusTotalQuota _quota;
    private readonly VirusTotalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<VirusTotalEnricher> _logger;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Lookup> _pending = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Lookup, (int Severity, long Order)> _queue = new();
    private readonly SemaphoreSlim _queued = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private long _order;
    private Task? _worker;
    private int _quotaRefusals;
    private volatile string? _disabledReason;
    private int _disposed;
    private long _cacheHits;
    private long _cacheMisses;

    public VirusTotalEnricher(VirusTotalClient client, VirusTotalCache cache, VirusTotalQuota quota,
        VirusTotalOptions options, TimeProvider time, ILogger<VirusTotalEnricher> logger)
    {
        _client = client;
        _cache = cache;
        _quota = quota;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public event EventHandler<IntelReport>? ReportReady;

    public VirusTotalState State { get; private set; } = VirusTotalState.Ok;

    /// <summary>Why the state is not <see cref="VirusTotalState.Ok"/>; never holds the key.</summary>
    public string? StateReason { get; private set; }

    /// <summary>Lookups of public addresses the cache answered.</summary>
    public long CacheHits => Volatile.Read(ref _cacheHits);

    /// <summary>Lookups of public addresses the cache could not answer (queued for VirusTotal, or refused while it is off).</summary>
    public long CacheMisses => Volatile.Read(ref _cacheMisses);

    /// <summary>Addresses queued or in flight.</summary>
    public int PendingCount { get { lock (_lock) return _pending.Count; } }

    public async ValueTask<IntelReport> LookupAsync(string ip, Severity priority, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(ip, out var address))
            return new IntelReport { Ip = ip, Status = IntelStatus.Unavailable, Note = "not an IP address" };
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var canonical = address.ToString();
        if (InternalAddress.IsInternal(address))
            return new IntelReport { Ip = canonical, Status = IntelStatus.InternalAddress, Note = "internal address: not sent to VirusTotal" };

        if (FromCache(canonical) is { } cached)
        {
            Interlocked.Increment(ref _cacheHits);
            return cached;
        }
        Interlocked.Increment(ref _cacheMisses);
        if (_disabledReason is { } reason) return Unavailable(canonical, reason);
        if (Volatile.Read(ref _disposed) == 1) return Unavailable(canonical, "Soar is stopping");

        var lookup = Enqueue(canonical, priority);
        if (wait <= TimeSpan.Zero && !lookup.Result.Task.IsCompleted) return Pending(canonical);
        try
        {
            return await lookup.Result.Task.WaitAsync(wait, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return Pending(canonical);
        }
    }

    private Lookup Enqueue(string ip, Severity priority)
    {
        Lookup? lookup;
        lock (_lock)
        {
            if (_pending.TryGetValue(ip, out lookup))
            {
                // Asked again more urgently: queue it again at the higher rank; the old entry is skipped.
                if (priority > lookup.Priority && lookup.Queued)
                {
                    lookup.Priority = priority;
                    _queue.Enqueue(lookup, (-(int)priority, lookup.Order));
                    _queued.Release();
                }
                return lookup;
            }
            lookup = new Lookup(ip, priority, _order++);
            _pending[ip] = lookup;
            _queue.Enqueue(lookup, (-(int)priority, lookup.Order));
            _worker ??= Task.Run(() => RunAsync(_stopping.Token));
        }
        _queued.Release();
        return lookup;
    }

    private bool TryDequeue(out Lookup lookup)
    {
        lock (_lock)
        {
            while (_queue.TryDequeue(out lookup!, out var rank))
            {
                if (!lookup.Queued || -rank.Severity != (int)lookup.Priority) continue; // superseded entry
                lookup.Queued = false;
                return true;
            }
            return false;
        }
    }

    private void Requeue(Lookup lookup)
    {
        lock (_lock)
        {
            lookup.Queued = true;
            _queue.Enqueue(lookup, (-(int)lookup.Priority, lookup.Order));
        }
        _queued.Release();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                await _queued.WaitAsync(stopping);
                if (_disabledReason is null) await _quota.WaitUntilAvailableAsync(stopping);
                // Pick after the wait: whatever is most urgent now goes first.
                if (!TryDequeue(out var lookup)) continue;
                try
                {
                    await LookUpAsync(lookup, stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    LogLookupFailed(lookup.Ip, e);
                    Complete(lookup, Unavailable(lookup.Ip, "VirusTotal lookup failed"));
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task LookUpAsync(Lookup lookup, CancellationToken stopping)
    {
        // Another lookup may have filled the cache since this one was queued.
        if (FromCache(lookup.Ip) is { } cached)
        {
            Complete(lookup, cached);
            return;
        }
        if (_disabledReason is { } reason)
        {
            Complete(lookup, Unavailable(lookup.Ip, reason));
            return;
        }

        var answer = await _client.GetIpAddressAsync(lookup.Ip, stopping);
        var now = _time.GetUtcNow();
        switch (answer.Outcome)
        {
            case VirusTotalOutcome.Found:
                IntelReport report;
                try
                {
                    report = VirusTotalReportMapper.Map(lookup.Ip, answer.Body!, now);
                }
                catch (JsonException)
                {
                    SetState(VirusTotalState.Degraded, "VirusTotal answered 200 with a body that is not JSON");
                    LogBadBody(lookup.Ip);
                    Complete(lookup, Unavailable(lookup.Ip, "VirusTotal answer unreadable"));
                    return;
                }
                Store(new CachedLookup(lookup.Ip, true, answer.Body, now, now + _options.CacheTtl));
                Succeeded();
                Complete(lookup, report);
                break;

            case VirusTotalOutcome.NotFound:
                Store(new CachedLookup(lookup.Ip, false, null, now, now + _options.NotFoundTtl));
                Succeeded();
                Complete(lookup, NotFound(lookup.Ip, now, fromCache: false));
                break;

            case VirusTotalOutcome.Unauthorized:
                Disable(answer);
                Complete(lookup, Unavailable(lookup.Ip, _disabledReason!));
                break;

            case VirusTotalOutcome.QuotaExceeded:
                // The first refusal waits for the next minute window; a refusal right after that
                // means the day (or month) is spent: wait for 00:00 UTC, when daily quotas reset.
                var refusals = Interlocked.Increment(ref _quotaRefusals);
                var until = answer.RetryAfter is { } after && after > TimeSpan.Zero ? now + after
                    : refusals == 1 ? now + TimeSpan.FromMinutes(1)
                    : new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
                _quota.PauseUntil(until);
                SetState(VirusTotalState.Degraded, $"VirusTotal quota exceeded ({answer.ErrorCode ?? "429"}); waiting until {until:u}");
                LogQuotaExceeded(answer.ErrorCode ?? "429", until);
                Requeue(lookup);
                break;

            default:
                SetState(VirusTotalState.Degraded, $"VirusTotal lookup failed: {answer.Message}");
                LogFailed(lookup.Ip, answer.Message ?? "unknown error");
                Complete(lookup, Unavailable(lookup.Ip, $"VirusTotal unavailable ({answer.Message})"));
                break;
        }
    }

    private void Succeeded()
    {
        Interlocked.Exchange(ref _quotaRefusals, 0);
        if (State == VirusTotalState.Degraded) SetState(VirusTotalState.Ok, null);
    }

    private void Disable(VirusTotalAnswer answer)
    {
        var code = answer.ErrorCode ?? "HTTP 401";
        if (Interlocked.CompareExchange(ref _disabledReason, $"VirusTotal rejected the API key ({code}); enrichment is off", null) is not null)
            return;
        SetState(VirusTotalState.Disabled, _disabledReason);
        LogDisabled(code);
        // Everyone still queued hears now, rather than at their deadline.
        List<Lookup> queued;
        lock (_lock)
        {
            queued = _queue.UnorderedItems.Select(i => i.Element).Where(l => l.Queued).Distinct().ToList();
            _queue.Clear();
            foreach (var lookup in queued) lookup.Queued = false;
        }
        foreach (var lookup in queued) Complete(lookup, Unavailable(lookup.Ip, _disabledReason!));
    }

    private void SetState(VirusTotalState state, string? reason)
    {
        if (State == VirusTotalState.Disabled) return;
        State = state;
        StateReason = reason;
    }

    private IntelReport? FromCache(string ip)
    {
        var now = _time.GetUtcNow();
        CachedLookup? entry;
        try
        {
            entry = _cache.Get(ip, now);
        }
        catch (SqliteException e)
        {
            LogCacheFailed(ip, e); // a broken cache costs quota, not correctness
            return null;
        }
        if (entry is null) return null;
        if (!entry.Found) return NotFound(ip, entry.FetchedAt, fromCache: true);
        try
        {
            return VirusTotalReportMapper.Map(ip, entry.Body ?? "{}", entry.FetchedAt) with { FromCache = true };
        }
        catch (JsonException)
        {
            return null; // a damaged row: ask again
        }
    }

    private void Store(CachedLookup entry)
    {
        try
        {
            _cache.Put(entry);
        }
        catch (SqliteException e)
        {
            LogCacheFailed(entry.Ip, e);
        }
    }

    private void Complete(Lookup lookup, IntelReport report)
    {
        lock (_lock) _pending.Remove(lookup.Ip);
        lookup.Result.TrySetResult(report);
        foreach (var handler in ReportReady?.GetInvocationList() ?? [])
        {
            try
            {
                ((EventHandler<IntelReport>)handler)(this, report);
            }
            catch (Exception e)
            {
                LogHandlerFailed(lookup.Ip, e);
            }
        }
    }

    private static IntelReport NotFound(string ip, DateTimeOffset fetchedAt, bool fromCache) => new()
    {
        Ip = ip, Status = IntelStatus.NotFound, Note = "VirusTotal has no data on this address",
        GuiLink = VirusTotalReportMapper.GuiLink(ip), FetchedAt = fetchedAt, FromCache = fromCache,
    };

    private static IntelReport Unavailable(string ip, string reason) =>
        new() { Ip = ip, Status = IntelStatus.Unavailable, Note = reason };

    private static IntelReport Pending(string ip) =>
        new() { Ip = ip, Status = IntelStatus.Pending, Note = "enrichment pending" };

    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, so disposed twice: the second time does nothing.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        if (_worker is not null) await _worker;
        _stopping.Dispose();
    }

    private sealed class Lookup(string ip, Severity priority, long order)
    {
        public string Ip { get; } = ip;
        public long Order { get; } = order;
        public Severity Priority { get; set; } = priority;
        public bool Queued { get; set; } = true;
        public TaskCompletionSource<IntelReport> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "VirusTotal rejected the API key ({Code}): VirusTotal enrichment is switched off until Soar restarts with a valid SOAR_VIRUSTOTAL_API_KEY")]
    private partial void LogDisabled(string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VirusTotal quota exceeded ({Code}): no lookups until {Until}")]
    private partial void LogQuotaExceeded(string code, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VirusTotal lookup of {Ip} failed: {Reason}")]
    private partial void LogFailed(string ip, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VirusTotal answered 200 for {Ip} with a body that is not JSON")]
    private partial void LogBadBody(string ip);

    [LoggerMessage(Level = LogLevel.Error, Message = "VirusTotal lookup of {Ip} failed unexpectedly")]
    private partial void LogLookupFailed(string ip, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The VirusTotal cache failed for {Ip}; going on without it")]
    private partial void LogCacheFailed(string ip, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A ReportReady handler failed for {Ip}")]
    private partial void LogHandlerFailed(string ip, Exception exception);
}
