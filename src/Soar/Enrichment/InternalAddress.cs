using System.Net;
using System.Net.Sockets;

namespace Soar.Enrichment;

/// <summary>
/// Addresses that must never be sent to an outside service: private, loopback, link-local, CGNAT,
/// multicast, reserved, benchmarking and documentation ranges (IANA special-purpose registries),
/// for IPv4 and IPv6. IPv4-mapped and NAT64 IPv6 addresses are judged by the IPv4 address inside.
/// </summary>
public static class InternalAddress
{
    private static readonly IpRangeSet V4Special = Ranges(
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");

    // Global unicast is 2000::/3; everything outside it (::, ::1, fc00::/7, fe80::/10, ff00::/8, …)
    // is internal, and so are these special ranges inside it.
    private static readonly IpRange GlobalUnicast = Range("2000::/3");
    private static readonly IpRangeSet V6SpecialInGlobal = Ranges(
        "2001::/23", "2001:db8::/32", "3fff::/20");
    private static readonly IpRange Nat64 = Range("64:ff9b::/96");

    public static bool IsInternal(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork) return V4Special.Contains(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return true;
        if (address.IsIPv4MappedToIPv6) return V4Special.Contains(address.MapToIPv4());
        var key = IpRange.Key(address);
        if (Nat64.Contains(key)) return V4Special.Contains(((UInt128)0xFFFF << 32) | (key & uint.MaxValue));
        return !GlobalUnicast.Contains(key) || V6SpecialInGlobal.Contains(key);
    }

    private static IpRange Range(string cidr) =>
        IpRange.TryParse(cidr, out var range) ? range.Value : throw new ArgumentException(cidr);

    private static IpRangeSet Ranges(params string[] cidrs) => new(cidrs.Select(Range));
}
