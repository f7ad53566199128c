using System.Net;
using System.Text.Json;

namespace Soar.Bench.Macro.Suite;

/// <summary>
/// The ground truth <c>soar simulate --truth</c> wrote: the attacking addresses (every scenario but benign), and
/// the addresses that, by the simulator's own count of the lines, cross one of Soar's per-address thresholds.
/// </summary>
public sealed class SimulatedTruth
{
    public long Lines { get; private init; }
    public long AttackLines { get; private init; }
    public long Ipv6Lines { get; private init; }
    public IReadOnlySet<string> Attackers { get; private init; } = new HashSet<string>();
    public IReadOnlySet<string> Benign { get; private init; } = new HashSet<string>();
    /// <summary>Addresses for which a per-address rule (brute force, slow, spray, compromise, scanner) should fire.</summary>
    public IReadOnlySet<string> Expected { get; private init; } = new HashSet<string>();

    public static SimulatedTruth Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var attackers = new HashSet<string>(StringComparer.Ordinal);
        var benign = new HashSet<string>(StringComparer.Ordinal);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        long attackLines = 0;
        foreach (var scenario in root.GetProperty("scenarios").EnumerateArray())
        {
            var isBenign = scenario.GetProperty("name").GetString() == "benign";
            if (!isBenign) attackLines += scenario.GetProperty("lines").GetInt64();
            foreach (var address in scenario.GetProperty("addresses").EnumerateArray())
                (isBenign ? benign : attackers).Add(Canonical(address.GetString()!));
            foreach (var finding in scenario.GetProperty("findings").EnumerateArray())
                if (finding.GetProperty("key").TryGetProperty("src_ip", out var ip)) expected.Add(Canonical(ip.GetString()!));
        }
        return new SimulatedTruth
        {
            Lines = root.GetProperty("lines").GetInt64(),
            AttackLines = attackLines,
            Ipv6Lines = root.GetProperty("ipv6_lines").GetInt64(),
            Attackers = attackers,
            Benign = benign,
            Expected = expected,
        };
    }

    public Score Score(IEnumerable<string> flagged)
    {
        var set = flagged.Select(Canonical).ToHashSet(StringComparer.Ordinal);
        return new Score(set.Count, set.Count(Attackers.Contains), set.Count(Expected.Contains), set.Count(a => !Attackers.Contains(a)));
    }

    /// <summary>One spelling per address (tools print IPv6 as the log does, Soar canonically).</summary>
    public static string Canonical(string ip) => IPAddress.TryParse(ip, out var address) ? address.ToString() : ip;
}

/// <summary>How a tool's flagged addresses compare with the truth.</summary>
/// <param name="FalsePositives">Flagged addresses that did not attack (benign clients).</param>
public sealed record Score(int Flagged, int Attackers, int Expected, int FalsePositives);
