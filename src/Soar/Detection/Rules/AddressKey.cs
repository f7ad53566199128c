using System.Buffers.Binary;
using System.Net;

namespace Soar.Detection.Rules;

/// <summary>
/// A source address as 16 bytes instead of a string: window state for a million addresses is keyed by
/// these, so that no address string is kept alive. IPv4 is stored IPv4-mapped.
/// </summary>
internal readonly struct AddressKey(ulong high, ulong low) : IEquatable<AddressKey>
{
    private readonly ulong _high = high;
    private readonly ulong _low = low;

    /// <summary>Parses a normalised address; false for anything else (host names from PAM, scoped addresses).</summary>
    public static bool TryParse(string text, out AddressKey key)
    {
        if (TryParseIPv4(text, out var v4))
        {
            key = new AddressKey(0, 0xFFFF_0000_0000UL | v4);
            return true;
        }
        key = default;
        Span<byte> bytes = stackalloc byte[16];
        if (text.Contains('%') || !IPAddress.TryParse(text, out var address) || !address.TryWriteBytes(bytes, out var written)
            || written != 16)
            return false;
        key = new AddressKey(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        return true;
    }

    // Dotted quad without leading zeros, as the parser normalises it.
    private static bool TryParseIPv4(string text, out uint value)
    {
        value = 0;
        uint part = 0;
        int digits = 0, dots = 0;
        foreach (var c in text)
        {
            if (c is >= '0' and <= '9')
            {
                if (digits == 3 || (digits > 0 && part == 0)) return false;
                part = part * 10 + (uint)(c - '0');
                digits++;
            }
            else if (c == '.' && digits > 0 && dots < 3)
            {
                if (part > 255) return false;
                value = (value << 8) | part;
                (part, digits) = (0, 0);
                dots++;
            }
            else return false;
        }
        if (dots != 3 || digits == 0 || part > 255) return false;
        value = (value << 8) | part;
        return true;
    }

    public bool Equals(AddressKey other) => _high == other._high && _low == other._low;
    public override bool Equals(object? obj) => obj is AddressKey other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_high, _low);
}
