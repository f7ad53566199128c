namespace Soar.Simulation;

/// <summary>
/// The performance profile (<c>--profile bench</c>): one long mixed log of about
/// <see cref="BenchProfile.Lines"/> lines over <see cref="BenchProfile.Span"/>. Attackers of every
/// kind (mostly brute force) start at random times, each given an equal share of the attack lines;
/// benign sessions and cron fill the rest. The lines are cut to exactly the number asked for.
/// </summary>
internal static class BenchProfileBuilder
{
    public static SimulationRun Build(SimulationOptions options, BenchProfile bench)
    {
        var random = new Random(options.Seed);
        var lines = new List<SimulatedLine>(bench.Lines + bench.Lines / 10);
        var writer = new ConnectionWriter(lines, random);
        var attackPool = new AddressPool(options.Ipv4Ranges, options.Ipv6Ranges, random);
        var actors = new Actors(writer, options);
        var start = options.Start;
        var span = bench.Span;

        // Attackers by kind, as shares of the attacking addresses.
        var kinds = new (ScenarioKind Kind, double Share)[]
        {
            (ScenarioKind.Bruteforce, 0.77), (ScenarioKind.Distributed, 0.08), (ScenarioKind.Scanner, 0.05),
            (ScenarioKind.Spray, 0.06), (ScenarioKind.Compromise, 0.02), (ScenarioKind.Slow, 0.02),
        };
        var runs = kinds.Select(k => new ScenarioRun(ScenarioSpec.Default(k.Kind))).ToList();
        runs.Add(new ScenarioRun(ScenarioSpec.Default(ScenarioKind.Benign) with { Duration = span }));
        var counts = kinds.Select(k => (int)Math.Round(bench.Attackers * k.Share)).ToArray();
        counts[0] += bench.Attackers - counts.Sum();

        // Attack lines only carry IPv6 when their address does: raise the attackers' share to match.
        var ipv6Share = Math.Min(1, bench.Ipv6Share / bench.AttackShare);
        var attackBudget = bench.Lines * bench.AttackShare;
        var perAttacker = attackBudget / bench.Attackers;
        var addressIndex = 0;

        DateTimeOffset At(double fraction) => start + TimeSpan.FromTicks((long)(random.NextDouble() * fraction * span.Ticks));

        for (var k = 0; k < kinds.Length; k++)
        {
            var run = runs[k];
            writer.Scenario = (short)k;
            string[]? distributedUser = null;
            var campaignStart = start;
            for (var i = 0; i < counts[k]; i++)
            {
                var ip = attackPool.Next(Actors.IsIpv6(addressIndex++, ipv6Share) && attackPool.HasIpv6);
                run.Addresses.Add(ip);
                var before = writer.Count;
                var budget = perAttacker;
                switch (kinds[k].Kind)
                {
                    case ScenarioKind.Bruteforce:
                    {
                        var users = actors.PickUsers(1 + random.Next(3), run);
                        var time = At(0.95);
                        // Connection after connection until this attacker has its share of lines.
                        while (writer.Count - before < budget)
                            time = actors.Bruteforce(time, ip, users, 6) + writer.Ms(200, 2_000);
                        break;
                    }
                    case ScenarioKind.Distributed:
                    {
                        // Campaigns of 25 sources on one user within five minutes, each source a few tries.
                        if (i % 25 == 0)
                        {
                            distributedUser = actors.PickUsers(1, run);
                            campaignStart = At(0.9);
                        }
                        actors.Spray(campaignStart + writer.Ms(0, 300_000), ip, distributedUser!, 2 + random.Next(3), TimeSpan.FromSeconds(30));
                        break;
                    }
                    case ScenarioKind.Scanner:
                    {
                        var probes = Math.Max(1, (int)(budget / 1.6));
                        actors.Scan(At(0.9), ip, probes, TimeSpan.FromSeconds(probes * 4));
                        break;
                    }
                    case ScenarioKind.Spray:
                    {
                        var tries = Math.Max(5, (int)(budget / 4.5));
                        actors.Spray(At(0.8), ip, actors.PickUsers(Math.Min(tries, 40), run), tries, TimeSpan.FromSeconds(tries * 10));
                        break;
                    }
                    case ScenarioKind.Compromise:
                        actors.Compromise(At(0.9), ip, actors.PickVictim(run), Math.Max(5, (int)((budget - 10) / 3)));
                        break;
                    case ScenarioKind.Slow:
                    {
                        var tries = Math.Max(31, (int)(budget / 4));
                        actors.Slow(start + writer.Ms(0, 60_000), ip, actors.PickUsers(1, run), tries, span * 0.9);
                        break;
                    }
                }
            }
        }

        // Benign sessions and cron fill the rest; a few hundred regular clients from the documentation ranges.
        var benign = runs[^1];
        writer.Scenario = (short)(runs.Count - 1);
        var benignPool = new AddressPool(SimulationOptions.DocumentationIpv4, [], random);
        var clients = Enumerable.Range(0, 200).Select(_ => benignPool.Next(false)).ToList();
        benign.Addresses.AddRange(clients);
        actors.Benign(start, 0, span, () => clients[0], benign);
        var people = actors.People;
        while (writer.Count < bench.Lines)
        {
            var passwordPeople = actors.PasswordPeople;
            var user = random.Next(2) == 0 && people.Contains("deploy") ? "deploy" : passwordPeople[random.Next(passwordPeople.Length)];
            benign.Users.Add(user);
            var publicKey = user == "deploy";
            writer.Login(At(0.97), clients[random.Next(clients.Count)], user, actors.Uid(user), publicKey,
                publicKey || random.Next(50) > 0 ? 0 : 1, TimeSpan.FromSeconds(random.Next(3, 900)));
        }

        var sorted = Simulator.SortByTime(lines);
        if (sorted.Length > bench.Lines) sorted = sorted[..bench.Lines];
        return new SimulationRun(sorted, runs, start);
    }
}
