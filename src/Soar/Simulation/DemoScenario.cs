namespace Soar.Simulation;

/// <summary>
/// The attack that <c>soar demo</c> replays: three attackers (15–40 failures each, one over
/// IPv6), one address with three typos that must not alert, and benign logins. Addresses come
/// from the documentation ranges. Reproducible for a given seed.
/// </summary>
public static class DemoScenario
{
    public sealed record Attacker(string Ip, int Failures, string[] Users);

    public static readonly Attacker[] Attackers =
    [
        new("203.0.113.7", 40, ["root"]),
        new("198.51.100.23", 25, ["admin", "oracle", "test", "ubuntu", "postgres"]),
        new("2001:db8:bad::17", 15, ["root", "pi"]),
    ];

    public const string NoisyUserIp = "192.0.2.50";

    public static readonly string[] BenignIps = ["192.0.2.10", "192.0.2.11", "2001:db8::10"];

    public static SimulationRun Build(DateTimeOffset start, int seed = 7)
    {
        var options = new SimulationOptions { Seed = seed, Start = start };
        var random = new Random(seed);
        var lines = new List<SimulatedLine>();
        var writer = new ConnectionWriter(lines, random);
        var actors = new Actors(writer, options);
        var attack = new ScenarioRun(ScenarioSpec.Default(ScenarioKind.Bruteforce) with { Count = Attackers.Length });
        var benign = new ScenarioRun(ScenarioSpec.Default(ScenarioKind.Benign) with { Count = 5 });

        foreach (var attacker in Attackers)
        {
            attack.Addresses.Add(attacker.Ip);
            foreach (var user in attacker.Users) attack.Users.Add(user);
            actors.Bruteforce(start + writer.Ms(0, 3_000), attacker.Ip, attacker.Users, attacker.Failures);
        }

        // Three typos from one address (ssh gives up after three prompts), then a success on the next
        // connection: a person, not an attack.
        writer.Scenario = 1;
        benign.Addresses.Add(NoisyUserIp);
        benign.Users.Add("alice");
        var typed = writer.FailedPasswords(start + TimeSpan.FromSeconds(5), NoisyUserIp, "alice", valid: true, attempts: 3);
        writer.Login(typed + TimeSpan.FromSeconds(4), NoisyUserIp, "alice", actors.Uid("alice"), publicKey: false, typos: 0,
            TimeSpan.FromSeconds(40));

        // Benign key logins.
        foreach (var ip in BenignIps)
        {
            benign.Addresses.Add(ip);
            writer.Login(start + TimeSpan.FromSeconds(random.Next(1, 30)), ip, "deploy", actors.Uid("deploy"), publicKey: true,
                typos: 0, TimeSpan.FromSeconds(random.Next(5, 60)));
        }
        benign.Users.Add("deploy");
        return new SimulationRun(Simulator.SortByTime(lines), [attack, benign], start);
    }
}
