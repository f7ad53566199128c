using System.Collections.Concurrent;

namespace Soar.Response.Outbox;

/// <summary>
/// Addresses whose cards went out while their threat intel was still pending: only these get a
/// refresh when the report arrives, so a lookup that finished in time costs no extra edit.
/// In memory: after a restart a late report refreshes nothing, and the next change shows it.
/// </summary>
public sealed class PendingIntel
{
    private readonly ConcurrentDictionary<string, byte> _addresses = new(StringComparer.Ordinal);

    public void Add(string ip) => _addresses.TryAdd(ip, 0);

    public bool Contains(string ip) => _addresses.ContainsKey(ip);

    public bool TryTake(string ip) => _addresses.TryRemove(ip, out _);
}
