namespace Soar.Simulation;

/// <summary>
/// The attack that <c>soar demo</c> replays: three attackers (15–40 failures each, one over
/// IPv6), one address with three typos that must not alert, and benign logins. Addresses come
/// from the documentation ranges. Reproducible for a given seed.
/// </summary>
public static class DemoScenario
{
    public sealed record Attacker(string Ip, int Failures, string[] Users, bool InvalidUsers);

    public static readonly Attacker[] Attackers =
    [
        new("203.0.113.7", 40, ["root"], InvalidUsers: false),
        new("198.51.100.23", 25, ["admin", "oracle", "test", "ubuntu", "postgres"], InvalidUsers: true),
        new("2001:db8:bad::17", 15, ["root", "pi"], InvalidUsers: false),
    ];

    public const string NoisyUserIp = "192.0.2.50";

    public static IReadOnlyList<SimulatedLine> Build(DateTimeOffset start, SshdLineFormatter format, int seed = 7)
    {
        var random = new Random(seed);
        var lines = new List<SimulatedLine>();
        var pid = 20_000;

        foreach (var attacker in Attackers)
        {
            // Each connection tries up to three passwords, a second or two apart.
            var time = start.AddMilliseconds(random.Next(0, 3000));
            for (var done = 0; done < attacker.Failures;)
            {
                pid += random.Next(3, 40);
                var port = random.Next(32_768, 61_000);
                var user = attacker.Users[random.Next(attacker.Users.Length)];
                if (attacker.InvalidUsers)
                    lines.Add(new(time, format.Line(time, pid, SshdLineFormatter.InvalidUser(user, attacker.Ip, port))));
                for (var attempt = 0; attempt < 3 && done < attacker.Failures; attempt++, done++)
                {
                    if (attacker.InvalidUsers)
                        lines.Add(new(time, format.Line(time, pid, SshdLineFormatter.PamUserUnknown())));
                    lines.Add(new(time, format.Line(time, pid,
                        SshdLineFormatter.PamAuthFailure(attacker.Ip, attacker.InvalidUsers ? null : user))));
                    time = time.AddMilliseconds(random.Next(600, 1400));
                    lines.Add(new(time, format.Line(time, pid,
                        SshdLineFormatter.FailedPassword(user, attacker.InvalidUsers, attacker.Ip, port))));
                }
                lines.Add(new(time, format.Line(time, pid,
                    SshdLineFormatter.ConnectionClosed(user, attacker.InvalidUsers, attacker.Ip, port))));
            }
        }

        // Three typos from one address, then a success: a person, not an attack.
        var t = start.AddSeconds(5);
        pid += 17;
        for (var i = 0; i < 3; i++)
        {
            lines.Add(new(t, format.Line(t, pid, SshdLineFormatter.PamAuthFailure(NoisyUserIp, "alice"))));
            t = t.AddSeconds(2);
            lines.Add(new(t, format.Line(t, pid, SshdLineFormatter.FailedPassword("alice", false, NoisyUserIp, 51_234))));
        }
        lines.Add(new(t, format.Line(t, pid, SshdLineFormatter.AcceptedPassword("alice", NoisyUserIp, 51_234))));

        // Benign key and password logins.
        string[] benign = ["192.0.2.10", "192.0.2.11", "2001:db8::10"];
        foreach (var ip in benign)
        {
            t = start.AddSeconds(random.Next(1, 30));
            pid += random.Next(3, 40);
            var port = random.Next(32_768, 61_000);
            lines.Add(new(t, format.Line(t, pid,
                SshdLineFormatter.AcceptedPublicKey("deploy", ip, port, "Qviyu6jM9TMTFnohG6rDKX6j/Gyr7NIq5pCIv5oRg7U"))));
            lines.Add(new(t, format.Line(t, pid, SshdLineFormatter.SessionOpened("deploy", 1002))));
        }

        // A stable sort: lines of one connection that share a timestamp keep their order.
        return [.. lines.OrderBy(l => l.Time)];
    }
}
