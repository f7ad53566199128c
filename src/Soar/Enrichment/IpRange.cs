using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Soar.Enrichment;

/// <summary>
/// An inclusive range of addresses in one 128-bit space: IPv4 addresses sit at their IPv4-mapped
/// IPv6 place (::ffff:a.b.c.d), so one sorted table answers for both families.
/// </summary>
public readonly record struct IpRange(UInt128 First, UInt128 Last)
{
    private static readonly UInt128 MappedPrefix = (UInt128)0xFFFF << 32;

    /// <summary>The 128-bit key of an address; IPv4-mapped IPv6 and plain IPv4 give the same key.</summary>
    public static UInt128 Key(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            address.TryWriteBytes(v4, out _);
            return MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(v4);
        }
        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(v6);
    }

    /// <summary>Parses "a.b.c.d", "a.b.c.d/n", "v6" or "v6/n". Host bits below the prefix are ignored.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out IpRange? range)
    {
        range = null;
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address)) return false;
        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        // IPAddress also takes inet_aton's short forms ("1.2.3", "7"): a blocklist line never means those.
        if (v4 && (addressText.Count('.') != 3 || addressText.ContainsAnyExcept("0123456789.")))
            return false;
        var maxPrefix = v4 ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
            return false;
        var bits = (v4 ? 96 : 0) + prefix;
        var hostMask = bits == 128 ? UInt128.Zero : UInt128.MaxValue >> bits;
        var key = Key(address);
        range = new IpRange(key & ~hostMask, key | hostMask);
        return true;
    }

    public bool Contains(UInt128 key) => key >= First && key <= Last;
}

/// <summary>An immutable set of ranges, merged and sorted: membership is a binary search.</summary>
public sealed class IpRangeSet
{
    // Two parallel arrays: the search touches only the starts, then checks one end.
    private readonly UInt128[] _firsts;
    private readonly UInt128[] _lasts;

    public IpRangeSet(IEnumerable<IpRange> ranges)
    {
        var sorted = ranges.OrderBy(r => r.First).ToList();
        var merged = new List<IpRange>(sorted.Count);
        foreach (var range in sorted)
        {
            if (merged.Count > 0 && (merged[^1].Last == UInt128.MaxValue || range.First <= merged[^1].Last + 1))
            {
                var last = merged[^1];
                if (range.Last > last.Last) merged[^1] = last with { Last = range.Last };
            }
            else
            {
                merged.Add(range);
            }
        }
        _firsts = merged.Select(r => r.First).ToArray();
        _lasts = merged.Select(r => r.Last).ToArray();
    }

    public static IpRangeSet Empty { get; } = new([]);

    /// <summary>Number of disjoint ranges after merging.</summary>
    public int Count => _firsts.Length;

    public bool Contains(IPAddress address) => Contains(IpRange.Key(address));

    public bool Contains(UInt128 key)
    {
        // The last range starting at or before the key is the only one that can hold it.
        int low = 0, high = _firsts.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            if (_firsts[middle] <= key) low = middle + 1;
            else high = middle - 1;
        }
        return high >= 0 && key <= _lasts[high];
    }
}
