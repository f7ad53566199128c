using System.Net;
using System.Net.Sockets;

namespace Soar.Simulation;

/// <summary>
/// Hands out distinct addresses drawn at random (from a seeded <see cref="Random"/>) from IPv4 and
/// IPv6 prefixes, so that no two actors of a run share an address.
/// </summary>
public sealed class AddressPool
{
    private readonly List<(UInt128 First, UInt128 Size)> _v4 = [], _v6 = [];
    private readonly HashSet<string> _used = [];
    private readonly Random _random;

    public AddressPool(IEnumerable<string> ipv4, IEnumerable<string> ipv6, Random random)
    {
        _random = random;
        foreach (var cidr in ipv4) _v4.Add(Parse(cidr, AddressFamily.InterNetwork));
        foreach (var cidr in ipv6) _v6.Add(Parse(cidr, AddressFamily.InterNetworkV6));
    }

    public bool HasIpv6 => _v6.Count > 0;

    /// <summary>"a.b.c.d/n" or "x::/n"; throws <see cref="FormatException"/> naming the prefix otherwise.</summary>
    public static (UInt128 First, UInt128 Size) Parse(string cidr, AddressFamily family)
    {
        var slash = cidr.IndexOf('/');
        var bits = family == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var address) || address.AddressFamily != family
            || !int.TryParse(cidr[(slash + 1)..], out var length) || length < 8 || length > bits - 2)
            throw new FormatException($"'{cidr}' is not an {(bits == 32 ? "IPv4" : "IPv6")} prefix such as "
                                      + (bits == 32 ? "203.0.113.0/24" : "2001:db8::/32") + " (length 8 to " + (bits - 2) + ")");
        var value = ToNumber(address.GetAddressBytes());
        var size = UInt128.One << (bits - length);
        return (value & ~(size - 1), size);
    }

    /// <summary>A fresh address; IPv4 skips the network and broadcast addresses of its prefix.</summary>
    public string Next(bool ipv6)
    {
        var ranges = ipv6 && _v6.Count > 0 ? _v6 : _v4.Count > 0 ? _v4 : _v6;
        var family = ranges == _v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var (first, size) = ranges[_random.Next(ranges.Count)];
            UInt128 offset;
            if (family == AddressFamily.InterNetwork)
                offset = 1 + (UInt128)_random.NextInt64(0, (long)(size - 2));
            else
            {
                // A random /64 inside the prefix and a short interface id, as hosting providers hand out.
                var subnets = size >> 64;
                var subnet = subnets == 0 ? UInt128.Zero : (UInt128)(ulong)_random.NextInt64(0, (long)Math.Min((ulong)long.MaxValue, (ulong)subnets));
                offset = (subnet << 64) + (UInt128)_random.Next(1, 0xffff);
                if (offset >= size) offset %= size;
            }
            var text = ToAddress(first + offset, family).ToString();
            if (_used.Add(text)) return text;
        }
        throw new InvalidOperationException(
            $"not enough distinct {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} addresses in the ranges given; add wider ranges");
    }

    /// <summary>How many IPv4 host addresses the ranges hold (to refuse a run that cannot fit).</summary>
    public UInt128 Ipv4Capacity => _v4.Aggregate(UInt128.Zero, (sum, r) => sum + r.Size - 2);

    private static UInt128 ToNumber(byte[] bytes)
    {
        UInt128 value = 0;
        foreach (var b in bytes) value = (value << 8) | b;
        return value;
    }

    private static IPAddress ToAddress(UInt128 value, AddressFamily family)
    {
        var length = family == AddressFamily.InterNetwork ? 4 : 16;
        var bytes = new byte[length];
        for (var i = length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xff);
            value >>= 8;
        }
        return new IPAddress(bytes);
    }
}
