using System.Globalization;
using System.Text;

namespace Soar.Bench.Detection;

/// <summary>
/// A seeded, mixed auth.log for detection benchmarks: brute-force bursts (valid and invalid users,
/// three to five sshd lines per attempt), password sprays, compromises, scanners, benign key logins
/// and non-sshd noise (cron, sudo, systemd-logind), interleaved over 24 hours in RFC 3164 lines as
/// /var/log/auth.log holds them. Same seed, same file.
/// </summary>
internal static class MixedAuthLog
{
    private static readonly string[] Users =
        ["root", "admin", "test", "user", "oracle", "postgres", "ubuntu", "pi", "git", "ftpuser", "deploy", "guest", "support", "mysql"];

    public static void Write(string path, int lines, int seed = 42)
    {
        var random = new Random(seed);
        var start = new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc);
        var step = TimeSpan.FromDays(1).Ticks / lines;
        var episodes = new List<IEnumerator<string>>();
        var pid = 10_000;
        using var output = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        for (var n = 0; n < lines;)
        {
            while (episodes.Count < 16) episodes.Add(NewEpisode(random, () => pid = pid >= 4_000_000 ? 10_000 : pid + 1).GetEnumerator());
            var i = random.Next(episodes.Count);
            if (!episodes[i].MoveNext())
            {
                episodes.RemoveAt(i);
                continue;
            }
            var time = start.AddTicks(step * n);
            output.Write(time.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture).Replace(" 0", "  ", StringComparison.Ordinal));
            output.Write(' ');
            output.Write(episodes[i].Current);
            output.Write('\n');
            n++;
        }
    }

    private static IEnumerable<string> NewEpisode(Random random, Func<int> nextPid)
    {
        var roll = random.NextDouble();
        return roll switch
        {
            < 0.30 => BruteForce(random, nextPid, Attacker(random), random.Next(3, 40)),
            < 0.33 => Spray(random, nextPid, Attacker(random)),
            < 0.34 => Compromise(random, nextPid, Attacker(random)),
            < 0.40 => Scanner(random, nextPid, Attacker(random)),
            < 0.60 => Benign(random, nextPid()),
            _ => Noise(random),
        };
    }

    private static string Attacker(Random random) =>
        random.Next(10) == 0 ? $"2001:db8:{random.Next(1, 200):x}::{random.Next(1, 60000):x}" : $"198.18.{random.Next(0, 256)}.{random.Next(1, 255)}";

    private static IEnumerable<string> Attempt(int pid, string ip, string user, bool valid, int port)
    {
        var p = $"bastion sshd[{pid}]: ";
        if (!valid)
        {
            yield return p + $"Invalid user {user} from {ip} port {port}";
            yield return p + "pam_unix(sshd:auth): check pass; user unknown";
            yield return p + $"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip} ";
            yield return p + $"Failed password for invalid user {user} from {ip} port {port} ssh2";
        }
        else
        {
            yield return p + $"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={user}";
            yield return p + $"Failed password for {user} from {ip} port {port} ssh2";
        }
        yield return p + $"Connection closed by {(valid ? "authenticating" : "invalid")} user {user} {ip} port {port} [preauth]";
    }

    private static IEnumerable<string> BruteForce(Random random, Func<int> nextPid, string ip, int attempts)
    {
        var user = Users[random.Next(Users.Length)];
        for (var a = 0; a < attempts; a++)
            foreach (var line in Attempt(nextPid(), ip, user, user is "root" or "deploy", random.Next(1024, 65535))) yield return line;
    }

    private static IEnumerable<string> Spray(Random random, Func<int> nextPid, string ip)
    {
        foreach (var user in Users.OrderBy(_ => random.Next()).Take(random.Next(3, 9)))
            foreach (var line in Attempt(nextPid(), ip, user, user is "root" or "deploy", random.Next(1024, 65535))) yield return line;
    }

    private static IEnumerable<string> Compromise(Random random, Func<int> nextPid, string ip)
    {
        foreach (var line in BruteForce(random, nextPid, ip, random.Next(5, 15))) yield return line;
        yield return $"bastion sshd[{nextPid()}]: Accepted password for deploy from {ip} port {random.Next(1024, 65535)} ssh2";
    }

    private static IEnumerable<string> Scanner(Random random, Func<int> nextPid, string ip)
    {
        for (var i = random.Next(1, 9); i > 0; i--)
        {
            var pid = nextPid();
            var port = random.Next(1024, 65535);
            yield return $"bastion sshd[{pid}]: error: kex_exchange_identification: Connection closed by remote host";
            yield return $"bastion sshd[{pid}]: Connection closed by {ip} port {port}";
        }
    }

    private static IEnumerable<string> Benign(Random random, int pid)
    {
        var ip = $"10.1.{random.Next(0, 8)}.{random.Next(1, 255)}";
        var port = random.Next(1024, 65535);
        yield return $"bastion sshd[{pid}]: Accepted publickey for deploy from {ip} port {port} ssh2: ED25519 SHA256:Qviyu6jM9TMTFnohG6rDKX6j/Gyr7NIq5pCIv5oRg7U";
        yield return $"bastion sshd[{pid}]: pam_unix(sshd:session): session opened for user deploy(uid=1002) by (uid=0)";
        yield return $"bastion systemd-logind[612]: New session {pid} of user deploy.";
        yield return $"bastion sshd[{pid}]: Received disconnect from {ip} port {port}:11: disconnected by user";
        yield return $"bastion sshd[{pid}]: Disconnected from user deploy {ip} port {port}";
        yield return $"bastion sshd[{pid}]: pam_unix(sshd:session): session closed for user deploy";
    }

    private static IEnumerable<string> Noise(Random random)
    {
        var pid = random.Next(2000, 90000);
        yield return $"bastion CRON[{pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)";
        yield return $"bastion CRON[{pid}]: pam_unix(cron:session): session closed for user root";
        if (random.Next(4) == 0)
            yield return $"bastion sudo[{pid + 1}]:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl status ssh";
    }
}
