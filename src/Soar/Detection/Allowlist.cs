using System.Net;

namespace Soar.Detection;

/// <summary>Source networks that never open incidents (your own jump hosts, scanners you run).</summary>
public sealed class Allowlist
{
    public static readonly Allowlist Empty = new([]);

    private readonly IPNetwork[] _networks;

    private Allowlist(IPNetwork[] networks) => _networks = networks;

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>Parses CIDRs ("10.0.0.0/8", "2001:db8::/32") and single addresses; a bad entry names itself.</summary>
    public static Allowlist Parse(IEnumerable<string> entries)
    {
        var networks = new List<IPNetwork>();
        foreach (var (entry, index) in entries.Select((e, i) => (e.Trim(), i)))
        {
            if (IPNetwork.TryParse(entry, out var network)) networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address))
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else
                throw new ArgumentException($"Detection:Allowlist:{index}: '{entry}' is not a CIDR network (e.g. 10.0.0.0/8) or an address.");
        }
        return new Allowlist([.. networks]);
    }

    public bool Contains(string? sourceIp)
    {
        if (_networks.Length == 0 || sourceIp is null || !IPAddress.TryParse(sourceIp, out var address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in _networks)
        {
            if (network.Contains(address)) return true;
        }
        return false;
    }
}
