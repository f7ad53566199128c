using System.Globalization;
using System.Net;

namespace Soar.Parsing.Sshd;

/// <summary>
/// Finds and normalises the address in an sshd message. Every search here is anchored at a
/// position the message format fixes and looks at a bounded number of characters, so a hostile
/// megabyte-long user name costs linear time at most.
/// </summary>
internal sealed class SshdAddress
{
    // Validated addresses (input text → normalised) and host names, each in its own cache.
    private readonly StringCache _addresses = new();
    private readonly StringCache _names = new();

    // An IPv6 address with a zone is at most 45 + 1 + IFNAMSIZ characters; a DNS name 253.
    private const int MaxIpLength = 64;
    private const int MaxHostLength = 253;

    /// <summary>
    /// Reads "&lt;ip&gt; port &lt;port&gt;" ending exactly at <paramref name="end"/>, from the right. With
    /// <paramref name="from"/> the address must follow " from ". <paramref name="headEnd"/> is where
    /// the text before it (a user name, a preamble) ends.
    /// </summary>
    public bool TryTail(ReadOnlySpan<char> text, int end, bool from, out int headEnd, out string ip,
        out int port)
    {
        headEnd = 0;
        ip = "";
        port = 0;
        var digitsStart = end;
        while (digitsStart > 0 && end - digitsStart < 6 && char.IsAsciiDigit(text[digitsStart - 1])) digitsStart--;
        if (!TryPort(text[digitsStart..end], out port)) return false;
        const string Port = " port ";
        if (digitsStart < Port.Length || !text[(digitsStart - Port.Length)..digitsStart].SequenceEqual(Port))
            return false;
        var ipEnd = digitsStart - Port.Length;
        var ipStart = ipEnd;
        while (ipStart > 0 && ipEnd - ipStart <= MaxIpLength && text[ipStart - 1] != ' ') ipStart--;
        if (ipStart == ipEnd || ipEnd - ipStart > MaxIpLength) return false;
        return TryHead(text, ipStart, from, out headEnd) && TryNormalise(text[ipStart..ipEnd], out ip);
    }

    /// <summary>Reads a host (address or name) ending at <paramref name="end"/>, after " from " when asked.</summary>
    public bool TryHostTail(ReadOnlySpan<char> text, int end, bool from, out int headEnd, out string host)
    {
        headEnd = 0;
        host = "";
        var start = end;
        while (start > 0 && end - start <= MaxHostLength && text[start - 1] != ' ') start--;
        if (start == end || end - start > MaxHostLength) return false;
        return TryHead(text, start, from, out headEnd) && TryHost(text[start..end], out host);
    }

    /// <summary>
    /// Reads "&lt;ip&gt; port &lt;port&gt;:" from the left (remote ids followed by attacker text, such as
    /// a disconnect reason): the first " port N:" whose preceding token is an address.
    /// </summary>
    public bool TryLeft(ReadOnlySpan<char> text, out int headEnd, out string ip, out int port, out int after)
    {
        headEnd = 0;
        ip = "";
        port = 0;
        after = 0;
        var offset = 0;
        while (offset < text.Length)
        {
            var at = text[offset..].IndexOf(" port ");
            if (at < 0) return false;
            at += offset;
            offset = at + 1;
            var digitsStart = at + " port ".Length;
            var digitsEnd = digitsStart;
            while (digitsEnd < text.Length && digitsEnd - digitsStart < 6 && char.IsAsciiDigit(text[digitsEnd])) digitsEnd++;
            if (digitsEnd >= text.Length || text[digitsEnd] != ':' || !TryPort(text[digitsStart..digitsEnd], out port))
                continue;
            var ipStart = at;
            while (ipStart > 0 && at - ipStart <= MaxIpLength && text[ipStart - 1] != ' ') ipStart--;
            if (ipStart == at || at - ipStart > MaxIpLength || !TryNormalise(text[ipStart..at], out ip)) continue;
            headEnd = Math.Max(0, ipStart - 1);
            after = digitsEnd + 1;
            return true;
        }
        return false;
    }

    private static bool TryHead(ReadOnlySpan<char> text, int tokenStart, bool from, out int headEnd)
    {
        headEnd = Math.Max(0, tokenStart - 1);
        if (!from) return tokenStart == 0 || text[tokenStart - 1] == ' ';
        const string From = " from ";
        if (tokenStart >= From.Length && text[(tokenStart - From.Length)..tokenStart].SequenceEqual(From))
        {
            headEnd = tokenStart - From.Length;
            return true;
        }
        // "from <ip>" at the very start: no head.
        headEnd = 0;
        return tokenStart == 5 && text.StartsWith("from ");
    }

    private static bool TryPort(ReadOnlySpan<char> digits, out int port) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;

    /// <summary>
    /// An IPv4 or IPv6 address as sshd prints it; IPv4-mapped IPv6 becomes IPv4, IPv6 is written in
    /// its compressed lower-case form, and a zone ("%eth0") is kept as written.
    /// </summary>
    public bool TryNormalise(ReadOnlySpan<char> text, out string normalised)
    {
        normalised = "";
        if (text.IsEmpty || text.Length > MaxIpLength) return false;
        if (_addresses.TryGet(text, out normalised)) return true;
        if (IsCanonicalIPv4(text))
        {
            normalised = _addresses.Get(text);
            return true;
        }
        if (text.IndexOf(':') < 0) return false; // IPv4 forms other than dotted quad are not what sshd writes
        var original = text;
        var zone = ReadOnlySpan<char>.Empty;
        var percent = text.IndexOf('%');
        if (percent >= 0)
        {
            zone = text[(percent + 1)..];
            text = text[..percent];
            if (zone.IsEmpty || zone.ContainsAnyExcept(ZoneChars)) return false;
        }
        if (!IPAddress.TryParse(text, out var address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        normalised = zone.IsEmpty || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6
            ? address.ToString()
            : string.Concat(address.ToString(), "%", zone);
        _addresses.Add(original, normalised);
        return true;
    }

    /// <summary>An address, or a host name as PAM's rhost and UseDNS give it (kept as a name, lower-cased).</summary>
    public bool TryHost(ReadOnlySpan<char> text, out string host)
    {
        if (TryNormalise(text, out host)) return true;
        host = "";
        if (text.IsEmpty || text.Length > MaxHostLength || text.ContainsAnyExcept(HostChars)) return false;
        host = text.ContainsAnyInRange('A', 'Z') ? text.ToString().ToLowerInvariant() : _names.Get(text);
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> ZoneChars = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
    private static readonly System.Buffers.SearchValues<char> HostChars = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    private static bool IsCanonicalIPv4(ReadOnlySpan<char> text)
    {
        var octets = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            var value = 0;
            while (i < text.Length && i - start < 3 && char.IsAsciiDigit(text[i])) value = value * 10 + (text[i++] - '0');
            var length = i - start;
            if (length == 0 || value > 255 || (length > 1 && text[start] == '0')) return false;
            octets++;
            if (i == text.Length) return octets == 4;
            if (octets == 4 || text[i] != '.') return false;
            i++;
        }
    }
}
