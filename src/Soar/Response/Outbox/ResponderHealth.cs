namespace Soar.Response.Outbox;

public enum ResponderState : byte
{
    /// <summary>Nothing delivered or failed yet, or the last delivery succeeded.</summary>
    Healthy,
    /// <summary>Transient failures: notifications wait and are retried.</summary>
    Retrying,
    /// <summary>Stopped for good (webhook deleted, credentials refused) until fixed and restarted.</summary>
    Disabled,
}

/// <summary>What the health endpoint shows for one responder. <see cref="Detail"/> never holds a secret.</summary>
public sealed record ResponderStatus(string Responder, ResponderState State, string? Detail, DateTimeOffset Since);

/// <summary>The responders' state, for <c>GET /healthz</c>: Soar is degraded when one is disabled.</summary>
public interface IResponderHealth
{
    IReadOnlyList<ResponderStatus> Responders { get; }
}

public sealed class ResponderHealth(TimeProvider time) : IResponderHealth
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResponderStatus> _statuses = new(StringComparer.Ordinal);

    public IReadOnlyList<ResponderStatus> Responders
    {
        get { lock (_gate) return _statuses.Values.OrderBy(s => s.Responder, StringComparer.Ordinal).ToList(); }
    }

    public ResponderStatus Get(string responder)
    {
        lock (_gate)
            return _statuses.GetValueOrDefault(responder) ?? new ResponderStatus(responder, ResponderState.Healthy, null, time.GetUtcNow());
    }

    public void Register(string responder) => Set(responder, ResponderState.Healthy, null, onlyIfNew: true);

    public void Report(string responder, ResponderState state, string? detail) => Set(responder, state, detail, onlyIfNew: false);

    private void Set(string responder, ResponderState state, string? detail, bool onlyIfNew)
    {
        lock (_gate)
        {
            var exists = _statuses.TryGetValue(responder, out var current);
            if (exists && onlyIfNew) return;
            // Disabled stays disabled until a restart: a later success cannot happen, a later message would hide the cause.
            if (current?.State == ResponderState.Disabled) return;
            var since = current is not null && current.State == state ? current.Since : time.GetUtcNow();
            _statuses[responder] = new ResponderStatus(responder, state, detail, since);
        }
    }
}
