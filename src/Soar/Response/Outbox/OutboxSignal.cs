namespace Soar.Response.Outbox;

/// <summary>Wakes the dispatcher's loops when rows were written, so that delivery does not wait for a poll.</summary>
public sealed class OutboxSignal
{
    private readonly Lock _gate = new();
    private readonly List<SemaphoreSlim> _listeners = [];

    /// <summary>A wake-up for one loop: released (at most once until taken) by every <see cref="Notify"/>.</summary>
    public SemaphoreSlim Subscribe()
    {
        var listener = new SemaphoreSlim(0, 1);
        lock (_gate) _listeners.Add(listener);
        return listener;
    }

    public void Notify()
    {
        lock (_gate)
        {
            foreach (var listener in _listeners)
            {
                try
                {
                    listener.Release();
                }
                catch (SemaphoreFullException)
                {
                    // Already signalled: one wake-up covers any number of rows.
                }
            }
        }
    }
}
