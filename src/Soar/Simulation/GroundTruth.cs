using System.Text.Json;

namespace Soar.Simulation;

/// <summary>
/// What a run did and which detection rules it should make fire, worked out from the generated
/// lines themselves with the rules' thresholds (so a cut or a change of scenario cannot make it lie):
/// ssh-bruteforce &gt;10 failures from one address in 60 s; ssh-slow-bruteforce &gt;30 in 1 h;
/// ssh-password-spray ≥5 distinct users from one address in 10 min; ssh-distributed-bruteforce
/// ≥20 distinct addresses on one user in 10 min; ssh-compromise a success after ≥5 failures from
/// the address in 10 min; ssh-scanner ≥5 probing connections from one address in 10 min.
/// Failures are attempts ("Failed password" lines), not log lines.
/// </summary>
public sealed class GroundTruth
{
    public const string Bruteforce = "ssh-bruteforce", SlowBruteforce = "ssh-slow-bruteforce",
        PasswordSpray = "ssh-password-spray", DistributedBruteforce = "ssh-distributed-bruteforce",
        Compromise = "ssh-compromise", Scanner = "ssh-scanner";

    public sealed record Finding(string Rule, string KeyName, string Key, DateTimeOffset FirstFired);

    public sealed class ScenarioTruth(ScenarioRun run)
    {
        public ScenarioRun Run { get; } = run;
        public long Lines { get; set; }
        public long Connections { get; set; }
        public long Failures { get; set; }
        public long Successes { get; set; }
        public long Probes { get; set; }
        public DateTimeOffset? First { get; set; }
        public DateTimeOffset? Last { get; set; }
        public List<Finding> Findings { get; } = [];
    }

    public IReadOnlyList<ScenarioTruth> Scenarios { get; }
    public long Lines { get; }
    public long Ipv6Lines { get; }
    public DateTimeOffset? First { get; }
    public DateTimeOffset? Last { get; }
    public IEnumerable<Finding> Findings => Scenarios.SelectMany(s => s.Findings);

    private GroundTruth(IReadOnlyList<ScenarioTruth> scenarios, long lines, long ipv6Lines, DateTimeOffset? first, DateTimeOffset? last)
    {
        Scenarios = scenarios;
        Lines = lines;
        Ipv6Lines = ipv6Lines;
        First = first;
        Last = last;
    }

    public static bool IsFailure(LineForm form) => form is LineForm.FailedPassword or LineForm.FailedPasswordInvalidUser;

    public static bool IsSuccess(LineForm form) => form is LineForm.AcceptedPassword or LineForm.AcceptedPublicKey;

    /// <summary>The one line of each scanner connection that counts it as a probe.</summary>
    public static bool IsProbe(LineForm form) => form is LineForm.KexClosedByRemote or LineForm.KexInvalidProtocolHttp
        or LineForm.KexReadReset or LineForm.ConnectionClosedPreauth or LineForm.ConnectionResetPreauth
        or LineForm.UnableToNegotiateKex or LineForm.UnableToNegotiateHostKey;

    public static GroundTruth Evaluate(SimulationRun run)
    {
        var scenarios = run.Scenarios.Select(s => new ScenarioTruth(s)).ToArray();
        var pids = scenarios.Select(_ => new HashSet<int>()).ToArray();
        var byAddress = new Dictionary<string, AddressWindows>(StringComparer.Ordinal);
        var byUser = new Dictionary<string, DistinctWindow>(StringComparer.Ordinal);
        var fired = new HashSet<(string Rule, string Key)>();
        long ipv6 = 0;

        void Fire(string rule, string keyName, string key, short scenario, DateTimeOffset time)
        {
            if (fired.Add((rule, key))) scenarios[scenario].Findings.Add(new Finding(rule, keyName, key, time));
        }

        foreach (var line in run.Lines)
        {
            var s = scenarios[line.Scenario];
            s.Lines++;
            s.First ??= line.Time;
            s.Last = line.Time;
            if (line.Address is not { } ip) continue;
            if (ip.Contains(':')) ipv6++;
            if (line.Form is not (LineForm.ReceivedDisconnectByUser or LineForm.DisconnectedFromUser)) pids[line.Scenario].Add(line.Pid);
            var ticks = line.Time.UtcTicks;

            if (IsFailure(line.Form))
            {
                s.Failures++;
                if (!byAddress.TryGetValue(ip, out var w)) byAddress[ip] = w = new AddressWindows();
                if (w.Minute.Add(ticks) > 10) Fire(Bruteforce, "src_ip", ip, line.Scenario, line.Time);
                if (w.Hour.Add(ticks) > 30) Fire(SlowBruteforce, "src_ip", ip, line.Scenario, line.Time);
                w.TenMinutes.Add(ticks);
                if (w.Users.Add(ticks, line.User!) >= 5) Fire(PasswordSpray, "src_ip", ip, line.Scenario, line.Time);
                if (!byUser.TryGetValue(line.User!, out var u)) byUser[line.User!] = u = new DistinctWindow(TimeSpan.FromMinutes(10));
                if (u.Add(ticks, ip) >= 20) Fire(DistributedBruteforce, "user", line.User!, line.Scenario, line.Time);
            }
            else if (IsSuccess(line.Form))
            {
                s.Successes++;
                if (byAddress.TryGetValue(ip, out var w) && w.TenMinutes.CountSince(ticks) >= 5)
                    Fire(Compromise, "src_ip", ip, line.Scenario, line.Time);
            }
            else if (IsProbe(line.Form))
            {
                s.Probes++;
                if (!byAddress.TryGetValue(ip, out var w)) byAddress[ip] = w = new AddressWindows();
                if (w.Probes.Add(ticks) >= 5) Fire(Scanner, "src_ip", ip, line.Scenario, line.Time);
            }
        }
        for (var i = 0; i < scenarios.Length; i++) scenarios[i].Connections = pids[i].Count;
        var all = run.Lines;
        return new GroundTruth(scenarios, all.Length, ipv6, all.Length > 0 ? all[0].Time : null,
            all.Length > 0 ? all[^1].Time : null);
    }

    /// <summary>Writes the truth as one JSON document (the contract of <c>soar simulate --truth</c>).</summary>
    public void Write(Utf8JsonWriter json, SimulationOptions options, string output)
    {
        json.WriteStartObject();
        json.WriteString("generator", "soar simulate");
        json.WriteNumber("seed", options.Seed);
        json.WriteString("host", options.Host);
        json.WriteString("output", output);
        if (options.Bench is { } bench)
        {
            json.WriteStartObject("profile");
            json.WriteString("name", "bench");
            json.WriteNumber("lines", bench.Lines);
            json.WriteNumber("attackers", bench.Attackers);
            json.WriteEndObject();
        }
        json.WriteNumber("lines", Lines);
        json.WriteNumber("ipv6_lines", Ipv6Lines);
        WriteTime(json, "first", First);
        WriteTime(json, "last", Last);
        json.WriteStartObject("thresholds");
        json.WriteString(Bruteforce, ">10 failures from one src_ip in 60 s");
        json.WriteString(SlowBruteforce, ">30 failures from one src_ip in 1 h");
        json.WriteString(PasswordSpray, ">=5 distinct users failed from one src_ip in 10 min");
        json.WriteString(DistributedBruteforce, ">=20 distinct src_ip failing on one user in 10 min");
        json.WriteString(Compromise, "a success from a src_ip with >=5 failures in the 10 min before");
        json.WriteString(Scanner, ">=5 probing connections from one src_ip in 10 min");
        json.WriteEndObject();

        json.WriteStartArray("scenarios");
        foreach (var s in Scenarios)
        {
            var spec = s.Run.Spec;
            json.WriteStartObject();
            json.WriteString("name", spec.Name);
            json.WriteStartObject("parameters");
            json.WriteNumber("count", spec.Count);
            json.WriteNumber("attempts", spec.Attempts);
            json.WriteNumber("users", spec.Users);
            json.WriteNumber("duration_s", spec.Duration.TotalSeconds);
            json.WriteEndObject();
            json.WriteNumber("lines", s.Lines);
            json.WriteNumber("connections", s.Connections);
            json.WriteNumber("failures", s.Failures);
            json.WriteNumber("successes", s.Successes);
            json.WriteNumber("probes", s.Probes);
            WriteTime(json, "first", s.First);
            WriteTime(json, "last", s.Last);
            json.WriteStartArray("addresses");
            foreach (var a in s.Run.Addresses) json.WriteStringValue(a);
            json.WriteEndArray();
            json.WriteStartArray("users");
            foreach (var u in s.Run.Users) json.WriteStringValue(u);
            json.WriteEndArray();
            json.WriteStartArray("rules_expected");
            foreach (var rule in s.Findings.Select(f => f.Rule).Distinct().Order(StringComparer.Ordinal)) json.WriteStringValue(rule);
            json.WriteEndArray();
            json.WriteStartArray("findings");
            foreach (var f in s.Findings)
            {
                json.WriteStartObject();
                json.WriteString("rule", f.Rule);
                json.WriteStartObject("key");
                json.WriteString(f.KeyName, f.Key);
                json.WriteEndObject();
                json.WriteString("first_fires_at", f.FirstFired);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } t) json.WriteString(name, t); else json.WriteNull(name);
    }

    private sealed class AddressWindows
    {
        public readonly CountWindow Minute = new(TimeSpan.FromMinutes(1)), Hour = new(TimeSpan.FromHours(1)),
            TenMinutes = new(TimeSpan.FromMinutes(10)), Probes = new(TimeSpan.FromMinutes(10));
        public readonly DistinctWindow Users = new(TimeSpan.FromMinutes(10));
    }

    /// <summary>How many events fell in the last <c>window</c>.</summary>
    private sealed class CountWindow(TimeSpan window)
    {
        private readonly Queue<long> _times = new();

        public int Add(long ticks)
        {
            _times.Enqueue(ticks);
            return CountSince(ticks);
        }

        public int CountSince(long now)
        {
            while (_times.Count > 0 && _times.Peek() <= now - window.Ticks) _times.Dequeue();
            return _times.Count;
        }
    }

    /// <summary>How many distinct values fell in the last <c>window</c>.</summary>
    private sealed class DistinctWindow(TimeSpan window)
    {
        private readonly Queue<(long Ticks, string Value)> _events = new();
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public int Add(long ticks, string value)
        {
            while (_events.Count > 0 && _events.Peek().Ticks <= ticks - window.Ticks)
            {
                var old = _events.Dequeue().Value;
                if (--_counts[old] == 0) _counts.Remove(old);
            }
            _events.Enqueue((ticks, value));
            _counts[value] = _counts.GetValueOrDefault(value) + 1;
            return _counts.Count;
        }
    }
}
