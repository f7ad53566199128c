using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Soar.Simulation;
using Soar.Simulation.Output;

namespace Soar.Bench.Simulation;

/// <summary>
/// <c>macro simulate [--lines N]</c>: the bench profile (about 70 % attack lines, 10 % IPv6, 5,000
/// attackers) generated, then rendered and written to a file, then sent over TCP on loopback to an
/// in-process receiver that reads and counts every byte. Prints lines/s for each (target ≥ 500,000).
/// </summary>
public static class SimulateMacroBenchmark
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var lines = 1_000_000;
        for (var i = 0; i < args.Length - 1; i++)
            if (args[i] == "--lines") lines = int.Parse(args[i + 1], CultureInfo.InvariantCulture);

        var options = new SimulationOptions
        {
            Seed = 1,
            Start = new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero),
            Ipv4Ranges = SimulationOptions.BenchmarkIpv4,
            Bench = new BenchProfile(lines),
        };
        var clock = Stopwatch.StartNew();
        var run = Simulator.Generate(options);
        var generated = clock.Elapsed;
        var truth = GroundTruth.Evaluate(run);
        var attackLines = truth.Scenarios.Where(s => s.Run.Spec.Kind != ScenarioKind.Benign).Sum(s => s.Lines);
        Print(output, "generate", run.Lines.Length, generated, null);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  mix: {attackLines * 100.0 / run.Lines.Length:0.0} % attack lines, {truth.Ipv6Lines * 100.0 / run.Lines.Length:0.0} % IPv6 lines, " +
            $"{truth.Scenarios.Where(s => s.Run.Spec.Kind != ScenarioKind.Benign).Sum(s => s.Run.Addresses.Count):N0} attacking addresses"));

        // To a file.
        var path = Path.Combine(Path.GetTempPath(), $"soar-bench-{Environment.ProcessId}.log");
        try
        {
            var renderer = new SyslogRenderer(SyslogFormat.Rfc3164, "web-01", TimeZoneInfo.Utc, priority: false);
            SendSummary summary;
            await using (var file = StreamLineOutput.CreateFile(path))
                summary = await new SimulationSender(renderer, file, TimeProvider.System).SendAsync(run.Lines, new Pacing(), null, CancellationToken.None);
            Print(output, "file", summary.Sent, summary.Elapsed, new FileInfo(path).Length);
        }
        finally
        {
            File.Delete(path);
        }

        // To a TCP receiver on loopback (RFC 3164 with <PRI>, LF framing: what 'soar run' takes).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var receiver = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var buffer = new byte[1 << 20];
            long bytes = 0, newlines = 0;
            int read;
            while ((read = await client.GetStream().ReadAsync(buffer)) > 0)
            {
                bytes += read;
                newlines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
            return (bytes, newlines);
        });
        var tcp = new TcpLineOutput("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Framing.Lf, TimeSpan.FromSeconds(5), TimeProvider.System);
        await tcp.ConnectAsync(CancellationToken.None);
        var wire = new SyslogRenderer(SyslogFormat.Rfc3164, "web-01", TimeZoneInfo.Utc, priority: true);
        SendSummary sent;
        await using (tcp)
            sent = await new SimulationSender(wire, tcp, TimeProvider.System).SendAsync(run.Lines, new Pacing(), null, CancellationToken.None);
        var (received, receivedLines) = await receiver;
        Print(output, "tcp loopback", sent.Sent, sent.Elapsed, received);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  receiver counted {receivedLines:N0} lines; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MiB"));
        return receivedLines == run.Lines.Length ? 0 : 1;
    }

    private static void Print(TextWriter output, string what, long lines, TimeSpan elapsed, long? bytes)
    {
        var throughput = bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $" ({b / elapsed.TotalSeconds / (1024 * 1024):0} MiB/s)") : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulate {what,-13} {lines,12:N0} lines in {elapsed.TotalSeconds,6:0.000} s = {lines / elapsed.TotalSeconds,12:N0} lines/s{throughput}"));
    }
}
