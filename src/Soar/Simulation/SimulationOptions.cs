namespace Soar.Simulation;

/// <summary>What to simulate: scenarios, where their addresses and users come from, and the seed.</summary>
public sealed class SimulationOptions
{
    /// <summary>The documentation ranges (RFC 5737, RFC 3849): never anyone's real address.</summary>
    public static readonly IReadOnlyList<string> DocumentationIpv4 = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"];
    public static readonly IReadOnlyList<string> DocumentationIpv6 = ["2001:db8::/32"];

    /// <summary>The benchmarking range (RFC 2544): room for thousands of attackers.</summary>
    public static readonly IReadOnlyList<string> BenchmarkIpv4 = ["198.18.0.0/15"];

    /// <summary>Names attackers try, most popular first (as in real SSH honeypot logs).</summary>
    public static readonly IReadOnlyList<string> DefaultAttackUsers =
    [
        "root", "admin", "test", "user", "ubuntu", "oracle", "postgres", "pi", "guest", "ftpuser", "git", "jenkins",
        "mysql", "support", "deploy", "www-data", "backup", "nagios", "hadoop", "dev", "ansible", "alice",
    ];

    /// <summary>Accounts that exist on the simulated host (others are "invalid user").</summary>
    public static readonly IReadOnlyList<string> DefaultValidUsers = ["root", "deploy", "alice", "bob", "www-data", "backup"];

    public IReadOnlyList<ScenarioSpec> Scenarios { get; init; } =
        [.. Enum.GetValues<ScenarioKind>().Select(ScenarioSpec.Default)];

    public int Seed { get; init; } = 1;

    /// <summary>Event time of the first line (scenarios begin within its first half minute).</summary>
    public DateTimeOffset Start { get; init; }

    public string Host { get; init; } = "web-01";

    public IReadOnlyList<string> Ipv4Ranges { get; init; } = DocumentationIpv4;
    public IReadOnlyList<string> Ipv6Ranges { get; init; } = DocumentationIpv6;

    /// <summary>Share of attacking addresses that are IPv6 (0 to 1).</summary>
    public double Ipv6Share { get; init; } = 0.1;

    public IReadOnlyList<string> AttackUsers { get; init; } = DefaultAttackUsers;
    public IReadOnlyList<string> ValidUsers { get; init; } = DefaultValidUsers;

    /// <summary>The benchmark profile instead of <see cref="Scenarios"/>: about this many lines, or null.</summary>
    public BenchProfile? Bench { get; init; }

    /// <summary>Says what is wrong, or returns null.</summary>
    public string? Validate()
    {
        if (Scenarios.Count == 0 && Bench is null) return "no scenario given";
        if (Ipv6Share is < 0 or > 1 || double.IsNaN(Ipv6Share)) return "--ipv6-share must be between 0 and 1";
        if (AttackUsers.Count == 0) return "--users needs at least one name";
        if (ValidUsers.Count == 0) return "--valid-users needs at least one name";
        foreach (var name in AttackUsers.Concat(ValidUsers))
        {
            if (name.Length is 0 or > 32 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                return $"user name '{name}' is not a plausible login name (1–32 characters, no spaces)";
        }
        if (Host.Length == 0 || Host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return $"host name '{Host}' must be one word";
        return Bench?.Validate();
    }
}

/// <summary>
/// The performance profile: a long mixed log of about <see cref="Lines"/> lines, <see cref="AttackShare"/>
/// of them attack lines from <see cref="Attackers"/> addresses, <see cref="Ipv6Share"/> of all lines over IPv6.
/// </summary>
public sealed record BenchProfile(int Lines = 1_000_000, int Attackers = 5_000, double AttackShare = 0.7,
    double Ipv6Share = 0.1)
{
    public TimeSpan Span { get; init; } = TimeSpan.FromHours(1);

    public string? Validate()
    {
        if (Lines is < 1_000 or > 100_000_000) return "--lines must be between 1000 and 100000000";
        if (Attackers is < 1 or > 1_000_000) return "--attackers must be between 1 and 1000000";
        if (Attackers * 8L > Lines) return "--lines is too small for that many attackers (at least 8 lines each)";
        return null;
    }
}
