namespace Soar.Simulation;

/// <summary>
/// Builds a run from <see cref="SimulationOptions"/>: each scenario's actors write their connections
/// through a <see cref="ConnectionWriter"/>, and the lines of all of them are merged in time order.
/// Pure: no I/O, no clock; the same options and seed give the same lines.
/// </summary>
public static class Simulator
{
    public static SimulationRun Generate(SimulationOptions options)
    {
        if (options.Bench is { } bench) return BenchProfileBuilder.Build(options, bench);

        var random = new Random(options.Seed);
        var lines = new List<SimulatedLine>();
        var writer = new ConnectionWriter(lines, random);
        var pool = new AddressPool(options.Ipv4Ranges, options.Ipv6Ranges, random);
        var actors = new Actors(writer, options);
        var runs = new List<ScenarioRun>();
        var addressIndex = 0;

        for (var s = 0; s < options.Scenarios.Count; s++)
        {
            var spec = options.Scenarios[s];
            var run = new ScenarioRun(spec);
            runs.Add(run);
            writer.Scenario = (short)s;
            var begin = options.Start + writer.Ms(0, 30_000);

            string NextAddress()
            {
                var address = pool.Next(Actors.IsIpv6(addressIndex++, options.Ipv6Share) && pool.HasIpv6);
                run.Addresses.Add(address);
                return address;
            }

            switch (spec.Kind)
            {
                case ScenarioKind.Bruteforce:
                    for (var i = 0; i < spec.Count; i++)
                        actors.Bruteforce(begin + writer.Ms(0, 20_000), NextAddress(), actors.PickUsers(spec.Users, run), spec.Attempts);
                    break;
                case ScenarioKind.Spray:
                    for (var i = 0; i < spec.Count; i++)
                        actors.Spray(begin + writer.Ms(0, 20_000), NextAddress(), actors.PickUsers(spec.Users, run), spec.Attempts, spec.Duration);
                    break;
                case ScenarioKind.Distributed:
                {
                    var user = actors.PickUsers(spec.Users, run);
                    for (var i = 0; i < spec.Count; i++)
                        actors.Spray(begin + TimeSpan.FromTicks((long)(random.NextDouble() * spec.Duration.Ticks)), NextAddress(),
                            user, spec.Attempts, TimeSpan.FromSeconds(spec.Attempts * 8));
                    break;
                }
                case ScenarioKind.Slow:
                    for (var i = 0; i < spec.Count; i++)
                        actors.Slow(begin + writer.Ms(0, 60_000), NextAddress(), actors.PickUsers(spec.Users, run), spec.Attempts, spec.Duration);
                    break;
                case ScenarioKind.Compromise:
                    for (var i = 0; i < spec.Count; i++)
                        actors.Compromise(begin + writer.Ms(0, 20_000), NextAddress(), actors.PickVictim(run), spec.Attempts);
                    break;
                case ScenarioKind.Scanner:
                    for (var i = 0; i < spec.Count; i++)
                        actors.Scan(begin + writer.Ms(0, 20_000), NextAddress(), spec.Attempts, spec.Duration);
                    break;
                case ScenarioKind.Benign:
                    actors.Benign(begin, spec.Count, spec.Duration, () =>
                    {
                        // The office and the CI runners: every third of them reaches the host over IPv6.
                        var address = pool.Next(ipv6: run.Addresses.Count % 3 == 2 && pool.HasIpv6);
                        run.Addresses.Add(address);
                        return address;
                    }, run);
                    break;
            }
        }
        return new SimulationRun(SortByTime(lines), runs, options.Start);
    }

    /// <summary>A stable sort by time: lines of one connection that share a timestamp keep their order.</summary>
    internal static SimulatedLine[] SortByTime(List<SimulatedLine> lines)
    {
        var items = lines.ToArray();
        var keys = new Int128[items.Length];
        for (var i = 0; i < items.Length; i++) keys[i] = ((Int128)items[i].Time.UtcTicks << 32) | (uint)i;
        Array.Sort(keys, items);
        return items;
    }
}

/// <summary>What each kind of actor does, connection by connection.</summary>
internal sealed class Actors(ConnectionWriter writer, SimulationOptions options)
{
    private readonly HashSet<string> _valid = new(options.ValidUsers, StringComparer.Ordinal);

    // Accounts that exist but nobody logs in to with a password (root: PermitRootLogin prohibit-password).
    private static readonly HashSet<string> SystemAccounts =
        ["root", "www-data", "backup", "nobody", "daemon", "bin", "sys", "mail", "postgres", "mysql", "nagios"];

    /// <summary>The valid accounts people log in to: not root, not system accounts.</summary>
    public string[] People { get; } = options.ValidUsers.Where(u => !SystemAccounts.Contains(u))
        .DefaultIfEmpty(options.ValidUsers.FirstOrDefault(u => u != "root") ?? options.ValidUsers[0]).ToArray();

    /// <summary>People who type a password: not deploy, whose key is its only way in (as in the corpus).</summary>
    public string[] PasswordPeople => People.Length > 1 ? [.. People.Where(u => u != "deploy")] : People;
    private Random Random => writer.Random;

    /// <summary>Every n-th address is IPv6 (the second, the twelfth, … for a share of 0.1), so small runs get one too.</summary>
    public static bool IsIpv6(int index, double share)
    {
        if (share <= 0) return false;
        if (share >= 1) return true;
        var every = Math.Max(1, (int)Math.Round(1 / share));
        return index % every == 1 % every;
    }

    public bool IsValid(string user) => _valid.Contains(user);

    public int Uid(string user) => user == "root" ? 0 : 1001 + Math.Max(0, options.ValidUsers.ToList().IndexOf(user));

    /// <summary>Distinct names from the attackers' list, popular ones likelier; numbered variants past its end.</summary>
    public string[] PickUsers(int count, ScenarioRun run)
    {
        var list = options.AttackUsers;
        var chosen = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (chosen.Count < count)
        {
            string name;
            if (seen.Count < list.Count)
            {
                // Cubed uniform: the head of the list comes up most (root about a third of the time).
                var u = Random.NextDouble();
                name = list[(int)(u * u * u * list.Count)];
            }
            else name = list[Random.Next(list.Count)] + Random.Next(1, 100);
            if (seen.Add(name)) chosen.Add(name);
        }
        foreach (var name in chosen) run.Users.Add(name);
        return [.. chosen];
    }

    /// <summary>An account a person logs in to with a password: the victim of a compromise.</summary>
    public string PickVictim(ScenarioRun run)
    {
        var victim = PasswordPeople[Random.Next(PasswordPeople.Length)];
        run.Users.Add(victim);
        return victim;
    }

    /// <summary>
    /// A password-guessing tool: like hydra (four parallel connections of six tries each, cut off
    /// by MaxAuthTries) or like a scripted ssh client (one connection of three tries at a time).
    /// </summary>
    public DateTimeOffset Bruteforce(DateTimeOffset time, string ip, string[] users, int failures)
    {
        var hydra = Random.Next(2) == 0;
        var perConnection = hydra ? ConnectionWriter.MaxAuthTries : 3;
        var tasks = hydra ? Math.Min(4, (failures + perConnection - 1) / perConnection) : 1;
        var clock = new DateTimeOffset[Math.Max(1, tasks)];
        if (hydra && IsValid(users[0])) time = writer.MethodProbe(time, ip, users[0]);
        for (var i = 0; i < clock.Length; i++) clock[i] = time + writer.Ms(0, 400);
        var end = time;
        for (var done = 0; done < failures;)
        {
            for (var task = 0; task < clock.Length && done < failures; task++)
            {
                var user = users[Random.Next(users.Length)];
                var attempts = Math.Min(perConnection, failures - done);
                clock[task] = writer.FailedPasswords(clock[task], ip, user, IsValid(user), attempts) + writer.Ms(150, 900);
                if (clock[task] > end) end = clock[task];
                done += attempts;
            }
        }
        return end;
    }

    /// <summary>
    /// One or two tries on each user, one connection each, spread over <paramref name="duration"/>
    /// (a spray; with one user and many addresses, one source of a distributed attack).
    /// </summary>
    public void Spray(DateTimeOffset time, string ip, string[] users, int failures, TimeSpan duration)
    {
        var gap = duration / Math.Max(1, failures);
        for (var done = 0; done < failures;)
        {
            var user = users[done % users.Length];
            var attempts = Math.Min(failures - done, done + 1 < failures && Random.Next(4) == 0 ? 2 : 1);
            writer.FailedPasswords(time, ip, user, IsValid(user), attempts);
            done += attempts;
            time += gap * attempts * (0.75 + 0.5 * Random.NextDouble());
        }
    }

    /// <summary>One try per connection, far apart: never more than a few a minute.</summary>
    public void Slow(DateTimeOffset time, string ip, string[] users, int failures, TimeSpan duration)
    {
        var gap = duration / Math.Max(1, failures);
        for (var i = 0; i < failures; i++)
        {
            var user = users[Random.Next(users.Length)];
            writer.FailedPasswords(time, ip, user, IsValid(user), 1);
            time += gap * (0.8 + 0.4 * Random.NextDouble());
        }
    }

    /// <summary>Failures on a real account, then the right password and a session.</summary>
    public void Compromise(DateTimeOffset time, string ip, string victim, int failures)
    {
        for (var done = 0; done < failures;)
        {
            var attempts = Math.Min(3, failures - done);
            time = writer.FailedPasswords(time, ip, victim, IsValid(victim), attempts) + writer.Ms(200, 1_500);
            done += attempts;
        }
        writer.Login(time, ip, victim, Uid(victim), publicKey: false, typos: 0, TimeSpan.FromSeconds(Random.Next(20, 600)));
    }

    public void Scan(DateTimeOffset time, string ip, int probes, TimeSpan duration)
    {
        var gap = duration / Math.Max(1, probes);
        var first = Random.Next(7);
        for (var i = 0; i < probes; i++)
        {
            writer.Probe(time, ip, first + i);
            time += gap * (0.5 + Random.NextDouble());
        }
    }

    /// <summary>
    /// Ordinary use: key logins (deploy), password logins, now and then a typo before the right
    /// password, sessions of seconds to a quarter hour; a cron job every minute.
    /// </summary>
    public void Benign(DateTimeOffset time, int sessions, TimeSpan duration, Func<string> newClient, ScenarioRun run)
    {
        var clients = new List<string>();
        var people = People;
        for (var i = 0; i < sessions; i++)
        {
            if (clients.Count == 0 || clients.Count < 1 + sessions / 3 && Random.Next(2) == 0) clients.Add(newClient());
            var ip = clients[Random.Next(clients.Count)];
            var at = time + TimeSpan.FromTicks((long)(Random.NextDouble() * duration.Ticks));
            var kind = Random.Next(20);
            var publicKey = kind < 10;
            var user = publicKey && people.Contains("deploy") ? "deploy"
                : publicKey ? people[Random.Next(people.Length)] : PasswordPeople[Random.Next(PasswordPeople.Length)];
            run.Users.Add(user);
            writer.Login(at, ip, user, Uid(user), publicKey, typos: !publicKey && kind >= 17 ? 1 : 0,
                TimeSpan.FromSeconds(Random.Next(3, 900)));
        }
        for (var minute = TimeSpan.FromSeconds(60 - time.Second); minute < duration; minute += TimeSpan.FromMinutes(1))
            writer.Cron(time + minute + writer.Ms(0, 900));
    }
}
