using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Soar.Simulation;
using Soar.Simulation.Output;

namespace Soar.Cli.Commands;

/// <summary>
/// <c>soar simulate</c>: authentic sshd attack traffic (issue #8) to Soar or Splunk over TCP or UDP,
/// to Splunk's HEC, to a file or to standard output; <c>--truth</c> writes what it did as JSON.
/// </summary>
internal static class SimulateCommand
{
    private static readonly string[] Outputs = ["tcp", "udp", "file", "stdout", "hec"];

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var scenario = new Option<string[]>("--scenario", "-s")
        {
            Description = "A scenario, name[:key=value,...] with keys count, attempts, users, duration; repeat to combine. "
                          + "Names: bruteforce, spray, distributed, slow, compromise, scanner, benign. Default: all of them.",
            AllowMultipleArgumentsPerToken = false,
        };
        var profile = new Option<string?>("--profile") { Description = "bench: a long mixed log for load tests (see --lines, --attackers)." };
        var lines = new Option<int>("--lines") { Description = "Lines of the bench profile.", DefaultValueFactory = _ => 1_000_000 };
        var attackers = new Option<int>("--attackers") { Description = "Attacking addresses of the bench profile.", DefaultValueFactory = _ => 5_000 };
        var seed = new Option<int?>("--seed") { Description = "Seed: the same seed and options give the same lines (default: random, printed)." };
        var start = new Option<string?>("--start") { Description = "Event time of the first line, ISO 8601 (default: early enough that no line is dated after it is sent)." };
        var host = new Option<string>("--host") { Description = "Host name in the lines.", DefaultValueFactory = _ => "web-01" };
        var users = new Option<string?>("--users") { Description = "Comma-separated names attackers try (default: a common wordlist)." };
        var validUsers = new Option<string?>("--valid-users") { Description = "Comma-separated accounts that exist on the host (default: root,deploy,alice,bob,www-data,backup)." };
        var ipv4 = new Option<string?>("--ipv4") { Description = "Comma-separated IPv4 prefixes for addresses (default: 192.0.2.0/24,198.51.100.0/24,203.0.113.0/24; bench: 198.18.0.0/15)." };
        var ipv6 = new Option<string?>("--ipv6") { Description = "Comma-separated IPv6 prefixes (default: 2001:db8::/32; 'none' for none)." };
        var ipv6Share = new Option<double>("--ipv6-share") { Description = "Share of attacking addresses over IPv6, 0 to 1 (bench: share of lines).", DefaultValueFactory = _ => 0.1 };
        var output = new Option<string?>("--output", "-o") { Description = "tcp, udp, file, stdout or hec (default: tcp; file with --file, hec with --hec)." };
        var target = new Option<string>("--target") { Description = "Receiver host:port for tcp and udp (Soar's 'soar run', or a Splunk TCP input).", DefaultValueFactory = _ => "127.0.0.1:1514" };
        var file = new Option<string?>("--file") { Description = "File to write with --output file." };
        var format = new Option<string>("--format") { Description = "rfc3164 (traditional, as /var/log/auth.log) or rfc5424.", DefaultValueFactory = _ => "rfc3164" };
        var framing = new Option<string>("--framing") { Description = "TCP framing: lf or octet-counted (RFC 6587).", DefaultValueFactory = _ => "lf" };
        var rate = new Option<double?>("--rate") { Description = "At most this many lines a second (default: as fast as possible)." };
        var speedup = new Option<double?>("--speedup") { Description = "Follow the scenario's timeline this many times faster (1 = real time)." };
        var reconnectFor = new Option<double>("--reconnect-for") { Description = "Seconds to keep retrying a TCP receiver that went away.", DefaultValueFactory = _ => 30 };
        var zone = CommonOptions.TimeZone();
        var hec = new Option<string?>("--hec") { Description = "Send to Splunk's HTTP Event Collector at this URL (e.g. https://splunk:8088)." };
        var hecToken = new Option<string?>("--hec-token") { Description = "HEC token (or env SOAR_HEC_TOKEN; prefer the variable: options show in process lists)." };
        var hecBatch = new Option<int>("--hec-batch") { Description = "Events per HEC request.", DefaultValueFactory = _ => 500 };
        var hecInsecure = new Option<bool>("--hec-insecure") { Description = "Accept a self-signed HEC certificate (docker-splunk in development only)." };
        var truth = new Option<string?>("--truth") { Description = "Write what was simulated, and which rules should fire, as JSON to this file." };

        output.AcceptOnlyFromAmong(Outputs);
        profile.AcceptOnlyFromAmong("bench");
        format.AcceptOnlyFromAmong("rfc3164", "rfc5424");
        framing.AcceptOnlyFromAmong("lf", "octet-counted");

        var command = new Command("simulate",
            "Generate authentic sshd attack logs (OpenSSH 9 + rsyslog) and send them over TCP/UDP, to Splunk HEC, or write them to a file.")
        {
            scenario, profile, lines, attackers, seed, start, host, users, validUsers, ipv4, ipv6, ipv6Share,
            output, target, file, format, framing, rate, speedup, reconnectFor, zone, hec, hecToken, hecBatch, hecInsecure, truth,
        };

        command.SetAction(async (parsed, cancellationToken) =>
        {
            // Every problem with the options is collected, so one run names them all.
            var error = new List<string>();
            void Bad(string message) => error.Add(message);

            // What to simulate.
            var specs = new List<ScenarioSpec>();
            foreach (var text in parsed.GetValue(scenario) ?? [])
            {
                if (ScenarioSpec.TryParse(text, out var spec, out var message)) specs.Add(spec);
                else Bad($"--scenario '{text}': {message}");
            }
            var profileName = parsed.GetValue(profile);
            BenchProfile? bench = null;
            if (profileName is not null)
            {
                if (specs.Count > 0) Bad("--profile bench and --scenario cannot be combined");
                else bench = new BenchProfile(parsed.GetValue(lines), parsed.GetValue(attackers), Ipv6Share: parsed.GetValue(ipv6Share));
            }
            else if (parsed.GetResult(lines) is { Implicit: false } || parsed.GetResult(attackers) is { Implicit: false })
                Bad("--lines and --attackers belong to --profile bench");

            var now = DateTimeOffset.UtcNow;
            var startTime = now;
            if (parsed.GetValue(start) is { } startText &&
                !DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out startTime))
                Bad($"--start '{startText}' is not a time such as 2026-11-26T14:57:00Z");

            var actualSeed = parsed.GetValue(seed) ?? Random.Shared.Next(1, 1_000_000);
            var options = new SimulationOptions
            {
                Scenarios = specs.Count > 0 ? specs : new SimulationOptions().Scenarios,
                Seed = actualSeed,
                Start = startTime,
                Host = parsed.GetValue(host)!,
                AttackUsers = List(parsed.GetValue(users)) ?? SimulationOptions.DefaultAttackUsers,
                ValidUsers = List(parsed.GetValue(validUsers)) ?? SimulationOptions.DefaultValidUsers,
                Ipv4Ranges = List(parsed.GetValue(ipv4)) ?? (bench is null ? SimulationOptions.DocumentationIpv4 : SimulationOptions.BenchmarkIpv4),
                Ipv6Ranges = parsed.GetValue(ipv6) is "none" ? [] : List(parsed.GetValue(ipv6)) ?? SimulationOptions.DocumentationIpv6,
                Ipv6Share = parsed.GetValue(ipv6Share),
                Bench = bench,
            };
            if (options.Validate() is { } invalid) Bad(invalid);
            try
            {
                _ = new AddressPool(options.Ipv4Ranges, options.Ipv6Ranges, new Random(0));
            }
            catch (FormatException e)
            {
                Bad(e.Message);
            }

            // Where it goes.
            var hecUrl = parsed.GetValue(hec);
            var outputName = parsed.GetValue(output) ?? (hecUrl is not null ? "hec" : parsed.GetValue(file) is not null ? "file" : "tcp");
            if (outputName == "file" && parsed.GetValue(file) is null) Bad("--output file needs --file PATH");
            if (outputName != "file" && parsed.GetValue(file) is not null) Bad("--file goes with --output file");
            if (outputName == "hec" && hecUrl is null) Bad("--output hec needs --hec URL");
            if (outputName != "hec" && hecUrl is not null) Bad("--hec goes with --output hec");
            var syslogFormat = parsed.GetValue(format) == "rfc5424" ? SyslogFormat.Rfc5424 : SyslogFormat.Rfc3164;
            var lineFraming = parsed.GetValue(framing) == "octet-counted" ? Framing.OctetCounted : Framing.Lf;
            if (lineFraming == Framing.OctetCounted && outputName is "udp" or "hec")
                Bad("--framing applies to tcp, file and stdout (UDP and HEC carry one message each)");
            if (!TryTarget(parsed.GetValue(target)!, out var targetHost, out var targetPort))
                Bad($"--target '{parsed.GetValue(target)}' is not host:port such as 127.0.0.1:1514 or [::1]:1514");
            var pacing = new Pacing(parsed.GetValue(rate), parsed.GetValue(speedup));
            if (pacing.Rate is { } r && !(r > 0 && r <= 100_000_000)) Bad("--rate must be more than 0 lines a second");
            if (pacing.Speedup is { } x && !(x > 0 && x <= 1_000_000)) Bad("--speedup must be more than 0 (1 = real time)");
            var reconnect = parsed.GetValue(reconnectFor);
            if (!(reconnect >= 0 && reconnect <= 86_400)) Bad("--reconnect-for must be 0 to 86400 seconds");
            if (parsed.GetValue(hecBatch) is < 1 or > 100_000) Bad("--hec-batch must be 1 to 100000");
            TimeZoneInfo timeZone = TimeZoneInfo.Local;
            var zoneId = parsed.GetValue(zone) ?? Environment.GetEnvironmentVariable("SOAR_TIME_ZONE");
            if (zoneId is not null)
            {
                try
                {
                    timeZone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
                }
                catch (TimeZoneNotFoundException)
                {
                    Bad($"unknown time zone '{zoneId}'");
                }
            }
            Uri? hecUri = null;
            string? token = null;
            if (outputName == "hec" && hecUrl is not null)
            {
                if (!Uri.TryCreate(hecUrl, UriKind.Absolute, out hecUri) || hecUri.Scheme is not ("http" or "https"))
                    Bad($"--hec '{hecUrl}' is not an http(s) URL such as https://splunk:8088");
                token = parsed.GetValue(hecToken) ?? Environment.GetEnvironmentVariable("SOAR_HEC_TOKEN");
                if (string.IsNullOrWhiteSpace(token)) Bad("--output hec needs a token: --hec-token or SOAR_HEC_TOKEN");
            }

            if (error.Count > 0)
            {
                foreach (var message in error) stderr.WriteLine($"soar simulate: {message}");
                stderr.WriteLine("Try 'soar simulate --help'.");
                return SoarCommandLine.BadUsage;
            }

            // Generate (pure, in memory), then open the output, send, and tell.
            var generation = System.Diagnostics.Stopwatch.StartNew();
            SimulationRun run;
            try
            {
                run = Simulator.Generate(options);
            }
            catch (InvalidOperationException e) // too few addresses in the ranges
            {
                stderr.WriteLine($"soar simulate: {e.Message}");
                return SoarCommandLine.BadUsage;
            }
            generation.Stop();
            // Lines dated in the future are not what sshd writes: without --start, the run is moved back so that
            // no line is dated after it goes out (as fast as possible, the last one is dated now).
            if (parsed.GetValue(start) is null && run.Lines.Length > 0)
                run.MoveBy(now - pacing.Lead(run.Lines[^1].Time - run.Lines[0].Time) - run.Lines[0].Time);

            LineOutput sink;
            string where;
            HttpClient? http = null;
            try
            {
                switch (outputName)
                {
                    case "file":
                        sink = StreamLineOutput.CreateFile(parsed.GetValue(file)!, lineFraming);
                        where = parsed.GetValue(file)!;
                        break;
                    case "stdout":
                        sink = new StreamLineOutput(stdout == Console.Out ? Console.OpenStandardOutput() : new TextWriterStream(stdout), lineFraming);
                        where = "standard output";
                        break;
                    case "udp":
                        sink = new UdpLineOutput(targetHost, targetPort);
                        where = $"udp://{parsed.GetValue(target)}";
                        break;
                    case "hec":
                        var handler = new SocketsHttpHandler();
                        if (parsed.GetValue(hecInsecure))
                            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
                        http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
                        var hecSink = new HecLineOutput(http, hecUri!, token!, options.Host, parsed.GetValue(hecBatch), TimeProvider.System);
                        sink = hecSink;
                        where = hecSink.Endpoint.GetLeftPart(UriPartial.Path);
                        break;
                    default:
                        var tcp = new TcpLineOutput(targetHost, targetPort, lineFraming, TimeSpan.FromSeconds(reconnect), TimeProvider.System);
                        await tcp.ConnectAsync(cancellationToken);
                        sink = tcp;
                        where = $"tcp://{tcp.Target}";
                        break;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var reason = e is SocketException s ? s.Message : "timed out";
                stderr.WriteLine($"soar simulate: cannot reach {parsed.GetValue(target)} over {outputName.ToUpperInvariant()} ({reason}).");
                stderr.WriteLine("  Start a receiver first: 'soar run' listens for syslog on 127.0.0.1:1514 (or point --target at a Splunk TCP input),");
                stderr.WriteLine("  or write to a file: --output file --file auth.log");
                http?.Dispose();
                return SoarCommandLine.BadUsage;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"soar simulate: cannot write {parsed.GetValue(file)}: {e.Message}");
                return SoarCommandLine.BadUsage;
            }

            var renderer = new SyslogRenderer(syslogFormat, options.Host, timeZone, priority: outputName is "tcp" or "udp");
            var bar = new SendProgressBar(stderr, run.Lines.Length);
            SendSummary summary;
            // Ctrl+C stops sending and still reports (and writes the truth): the lines not sent count as unsent.
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                interrupt.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                await using (sink)
                {
                    summary = await new SimulationSender(renderer, sink, TimeProvider.System)
                        .SendAsync(run.Lines, pacing, bar.Report, interrupt.Token);
                }
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            bar.Done();
            http?.Dispose();

            var truthPath = parsed.GetValue(truth);
            if (truthPath is not null)
            {
                try
                {
                    await using var truthFile = File.Create(truthPath);
                    await using var json = new Utf8JsonWriter(truthFile, new JsonWriterOptions { Indented = true });
                    GroundTruth.Evaluate(run).Write(json, options, where);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"soar simulate: cannot write the truth to {truthPath}: {e.Message}");
                    return SoarCommandLine.RuntimeFailure;
                }
            }

            var what = bench is not null ? "profile bench" : string.Join(", ", options.Scenarios.Select(s => s.Name));
            var reconnected = summary.Reconnects > 0 ? $"; reconnected {summary.Reconnects} time(s)" : "";
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soar simulate: {summary.Sent:N0} of {summary.Lines:N0} lines ({what}; seed {actualSeed}) to {where} " +
                $"in {summary.Elapsed.TotalSeconds:0.00} s ({summary.LinesPerSecond:N0} lines/s; generated in {generation.Elapsed.TotalSeconds:0.00} s){reconnected}."));
            if (summary.Unsent > 0)
            {
                var why = interrupt.IsCancellationRequested ? ": interrupted." : summary.LastError is { } last ? $": {last}" : ".";
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"soar simulate: could not send {summary.Unsent:N0} lines{why}"));
                if (outputName is "tcp" or "udp" && !interrupt.IsCancellationRequested)
                    stderr.WriteLine($"  Is the receiver at {parsed.GetValue(target)} running? 'soar run' listens for syslog on 127.0.0.1:1514.");
                return SoarCommandLine.RuntimeFailure;
            }
            return SoarCommandLine.Success;
        });
        return command;
    }

    private static IReadOnlyList<string>? List(string? text) =>
        text is null ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>"host:port", "1.2.3.4:port" or "[v6]:port".</summary>
    internal static bool TryTarget(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0) return false;
            host = text[1..close];
            portText = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0) return false;
            host = text[..colon];
            portText = text[(colon + 1)..];
            if (host.Contains(':')) return false; // a bare IPv6 address needs brackets
        }
        return host.Length > 0 && int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port)
                               && port is > 0 and <= 65535;
    }
}
