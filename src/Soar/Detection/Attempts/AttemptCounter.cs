using System.Runtime.InteropServices;
using Soar.Events;

namespace Soar.Detection.Attempts;

/// <summary>
/// Turns sshd lines into attempts: one failed login makes sshd write several lines (Invalid user,
/// the PAM failure, Failed password, Connection closed … [preauth], Too many authentication
/// failures), and rules must count it once. Lines are joined per connection (host and sshd pid):
/// within one attempt the lines come in stage order (user check, PAM, Failed …); a line that
/// cannot continue the open attempt starts a new one. The Failed line completes an attempt; an
/// attempt that never reaches it (keyboard-interactive, a scanner that only checks a user name)
/// counts when the connection moves on. Probes count once per connection that never tried to
/// authenticate. Pure and single-threaded.
/// </summary>
public sealed class AttemptCounter
{
    /// <summary>A connection silent this long is forgotten (sshd's LoginGraceTime is 2 min by default).</summary>
    public static readonly TimeSpan ConnectionIdleLimit = TimeSpan.FromMinutes(10);

    /// <summary>The most attempts one "message repeated N times" line stands for.</summary>
    public const int MaxRepeat = 1000;

    // Connections are values, not objects: a busy log opens hundreds of thousands, each living for seconds of
    // log time, long enough to outlive a young-generation collection; as objects they cost the GC dearly.
    private readonly Dictionary<ConnectionId, Connection> _connections = new();
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    /// <summary>Connections with state (for memory checks).</summary>
    public int TrackedConnections => _connections.Count;

    /// <summary>Adds to <paramref name="signals"/> the attempts and probes that <paramref name="e"/> completes (0, 1 or 2).</summary>
    public void Count(AuthEvent e, List<Signal> signals)
    {
        if (e.Time >= _nextSweep) Sweep(e.Time);
        var stage = StageOf(e.Kind);
        if (e.Pid is not { } pid)
        {
            // Without a pid, lines cannot be joined: count only the lines that are attempts or probes by themselves.
            if (e.Kind.IsFailedAttempt())
            {
                for (var i = Math.Clamp(e.Count, 1, MaxRepeat); i > 0; i--)
                    signals.Add(new Signal(SignalKind.Failure, e.Time, e.SourceIp, e.User, e.Host));
            }
            else if (e.Kind.IsSuccess()) signals.Add(new Signal(SignalKind.Success, e.Time, e.SourceIp, e.User, e.Host));
            else if (e.Outcome == AuthOutcome.Probe && e.SourceIp is not null)
                signals.Add(new Signal(SignalKind.Probe, e.Time, e.SourceIp, null, e.Host));
            return;
        }

        var id = new ConnectionId(e.Host, pid);
        ref var c = ref CollectionsMarshal.GetValueRefOrAddDefault(_connections, id, out var known);
        if (known && e.Time.UtcTicks - c.LastTicks > ConnectionIdleLimit.Ticks) c = default;
        c.LastTicks = e.Time.UtcTicks;
        c.SourceIp = e.SourceIp ?? c.SourceIp;
        if (!string.IsNullOrEmpty(e.User)) c.User = e.User;

        if (e.Kind.IsFailedAttempt())
        {
            // Completes the open attempt, or is an attempt of its own (public key, none). rsyslog's
            // "message repeated N times" stands for N attempts (bounded: the line is attacker-reachable).
            c.PendingStage = 0;
            c.Authenticated = true;
            for (var i = Math.Clamp(e.Count, 1, MaxRepeat); i > 0; i--)
                signals.Add(new Signal(SignalKind.Failure, e.Time, c.SourceIp, e.User ?? c.User, e.Host));
        }
        else if (stage > 0)
        {
            if (c.PendingStage >= stage) Flush(ref c, e, signals);
            c.PendingStage = stage;
            c.Authenticated = true;
        }
        else if (e.Kind.IsSuccess())
        {
            Flush(ref c, e, signals);
            signals.Add(new Signal(SignalKind.Success, e.Time, c.SourceIp, e.User ?? c.User, e.Host));
            _connections.Remove(id);
        }
        else if (e.Outcome == AuthOutcome.Probe && !c.Authenticated)
        {
            // Scanners often write two lines (kex_exchange_identification, then Connection closed by <ip>),
            // the first without an address: the probe counts once, when its address is known.
            if (!c.ProbeCounted && c.SourceIp is not null)
            {
                c.ProbeCounted = true;
                signals.Add(new Signal(SignalKind.Probe, e.Time, c.SourceIp, null, e.Host));
            }
            if (IsConnectionEnd(e.Kind)) _connections.Remove(id);
        }
        else
        {
            // Lines that accompany attempts (PAM summaries, max auth exceeded, closing lines): never counted,
            // but the connection has moved on, so an attempt still open is complete.
            Flush(ref c, e, signals);
            if (IsConnectionEnd(e.Kind)) _connections.Remove(id);
        }
    }

    private static void Flush(ref Connection c, AuthEvent e, List<Signal> signals)
    {
        if (c.PendingStage == 0) return;
        c.PendingStage = 0;
        if (c.SourceIp is not null || c.User is not null)
            signals.Add(new Signal(SignalKind.Failure, e.Time, c.SourceIp, c.User, e.Host));
    }

    // The order in which one attempt's lines appear before its Failed line; 0 for other lines.
    private static int StageOf(AuthEventKind kind) => kind switch
    {
        AuthEventKind.InvalidUser or AuthEventKind.UserNotAllowed or AuthEventKind.RootLoginRefused => 1,
        AuthEventKind.PamUserUnknown => 2,
        AuthEventKind.PamAuthFailure => 3,
        AuthEventKind.PamErrorAuthFailure => 4,
        _ => 0,
    };

    private static bool IsConnectionEnd(AuthEventKind kind) => kind is
        AuthEventKind.ConnectionClosedAuthenticating or AuthEventKind.DisconnectedAuthenticating
        or AuthEventKind.TooManyAuthFailures or AuthEventKind.ConnectionClosedPreauth
        or AuthEventKind.ConnectionResetPreauth or AuthEventKind.ReceivedDisconnectPreauth
        or AuthEventKind.TimeoutBeforeAuth or AuthEventKind.UnableToNegotiate or AuthEventKind.BannerInvalidFormat
        or AuthEventKind.ConnectionResetAuthenticating or AuthEventKind.DisconnectedPreauth
        or AuthEventKind.ConnectionClosed or AuthEventKind.ConnectionReset;

    // Connections whose closing line never came (lost lines, a restarted sshd) are forgotten.
    private void Sweep(DateTimeOffset now)
    {
        _nextSweep = now + ConnectionIdleLimit;
        foreach (var (id, c) in _connections)
        {
            if (now.UtcTicks - c.LastTicks > ConnectionIdleLimit.Ticks) _connections.Remove(id);
        }
    }

    private readonly record struct ConnectionId(string Host, int Pid);

    private struct Connection
    {
        public long LastTicks;  // UTC
        public string? SourceIp;
        public string? User;
        public int PendingStage;
        public bool Authenticated;
        public bool ProbeCounted;
    }
}
