using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Soar.Bench.Macro.Suite;

/// <summary>
/// CrowdSec's replay ("time machine") mode over a log: <c>crowdsec -dsn file://FILE -type syslog</c> with the
/// crowdsecurity/sshd collection's parsers and scenarios (Debian package crowdsec). CrowdSec 1.4 cannot replay
/// with <c>-no-api</c>: its output stage still logs in to the local API and stops with "authenticate watcher …
/// connection refused". So the local API runs in the same process on a throwaway configuration (its own SQLite
/// database, a free loopback port, a watcher registered with <c>cscli machines add</c>) and the Central API is off
/// (<c>-no-capi</c>). The flagged addresses are those of its alerts, which the agent logs as "Ip X performed 'scenario'".
/// The agent is measured, as <c>-no-api</c> would have it: from start to "Bucket routine exiting", when the file is
/// read and every bucket has overflowed or drained (wall, CPU and peak RSS from /proc). It is stopped there: what
/// follows is its local API storing the alerts in SQLite, which took over ten minutes for a million lines.
/// </summary>
public static partial class CrowdSecReplay
{
    public const string Program = "/usr/bin/crowdsec";
    public const string Cli = "/usr/bin/cscli";
    private const string Config = "/etc/crowdsec/config.yaml";

    public sealed record Result(Measured Run, IReadOnlySet<string> Flagged, IReadOnlyDictionary<string, int> AlertsByScenario);

    /// <summary>Why CrowdSec cannot run here, or null.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists(Program) || !File.Exists(Cli)) return "crowdsec is not installed (Debian package crowdsec)";
        if (!File.Exists(Config)) return $"{Config} is missing";
        if (!Directory.Exists("/etc/crowdsec/scenarios") || !Directory.EnumerateFiles("/etc/crowdsec/scenarios", "ssh-bf*").Any())
            return "the crowdsecurity/sshd collection is not installed (cscli collections install crowdsecurity/sshd needs the hub)";
        return null;
    }

    public static async Task<Result> RunAsync(string log, string workDir, TimeSpan timeout)
    {
        var dir = Directory.CreateDirectory(Path.Combine(workDir, "crowdsec")).FullName;
        var config = Path.Combine(dir, "config.yaml");
        File.WriteAllText(config, ThrowawayConfig(File.ReadAllText(Config), dir, FreePort()));
        File.WriteAllText(Path.Combine(dir, "config.yaml.local"), "db_config:\n  use_wal: true\n");
        var register = await TimedProcess.RunAsync("cscli-machines-add", Cli,
            ["-c", config, "machines", "add", "soar-bench", "--auto", "--force", "-f", Path.Combine(dir, "local_api_credentials.yaml")],
            dir, TimeSpan.FromMinutes(2));
        if (!register.Succeeded)
            throw new InvalidOperationException($"cscli machines add failed: {File.ReadAllText(register.StderrPath).Trim()}");

        var run = await TimedProcess.RunUntilAsync("crowdsec", Program,
            ["-c", config, "-dsn", "file://" + Path.GetFullPath(log), "-type", "syslog", "-no-capi"], dir, timeout, "Bucket routine exiting");
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        var scenarios = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var path in new[] { run.StdoutPath, run.StderrPath })
        {
            foreach (var line in File.ReadLines(path))
            {
                var m = Alert().Match(line);
                if (!m.Success) continue;
                flagged.Add(m.Groups["ip"].Value);
                scenarios[m.Groups["scenario"].Value] = scenarios.GetValueOrDefault(m.Groups["scenario"].Value) + 1;
            }
        }
        return new Result(run, flagged, scenarios);
    }

    /// <summary>The packaged configuration with its own database, logs, credentials and port; no daemon, no Prometheus.</summary>
    internal static string ThrowawayConfig(string packaged, string dir, int port)
    {
        string Set(string text, string key, string value) =>
            Regex.Replace(text, $@"(?m)^(\s*){Regex.Escape(key)}:.*$", m => $"{m.Groups[1].Value}{key}: {value}");
        var text = Set(packaged, "daemonize", "false");
        text = Set(text, "log_dir", dir + "/");
        text = Set(text, "db_path", Path.Combine(dir, "crowdsec.db"));
        text = Set(text, "listen_uri", $"127.0.0.1:{port}");
        text = Set(text, "enabled", "false"); // the only 'enabled' key is Prometheus's
        return text.Replace("/etc/crowdsec/local_api_credentials.yaml", Path.Combine(dir, "local_api_credentials.yaml"), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Ip (?<ip>\S+) performed '(?<scenario>[^']+)'")]
    private static partial Regex Alert();
}
