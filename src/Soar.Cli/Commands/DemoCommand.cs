using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Soar.Cli.Hosting;
using Soar.Detection;
using Soar.Enrichment.VirusTotal;
using Soar.Pipeline;
using Soar.Response.Discord;
using Soar.Ingest.Tcp;
using Soar.Simulation;
using Soar.Simulation.Output;

namespace Soar.Cli.Commands;

/// <summary>
/// The whole pipeline in one process on embedded defaults: a real TCP listener on a free
/// loopback port, a simulated attack sent through a real socket, and the incident cards.
/// </summary>
internal static class DemoCommand
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated attack.", DefaultValueFactory = _ => 7 };
        var command = new Command("demo",
            "Run the whole pipeline in-process against a simulated SSH attack and print the incident cards.")
        {
            seed,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(seed), stdout, stderr, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int seed, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // The demo keeps its outbox in a throw-away data directory: it leaves nothing behind.
        var dataDir = Directory.CreateTempSubdirectory("soar-demo-");
        try
        {
            return await RunAsync(seed, dataDir.FullName, clock, stdout, stderr, cancellationToken);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dataDir.Delete(recursive: true);
        }
    }

    private static async Task<int> RunAsync(int seed, string dataDir, Stopwatch clock, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        // Embedded defaults only: no environment variable or .env file (a real VirusTotal key or
        // Discord webhook, other rules, another time zone) reaches the demo.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:Tcp:Listen"] = "127.0.0.1:0",
            ["DataDir"] = dataDir,
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddSoarConsole(LogLevel.Warning))
            .AddSoarPipeline(configuration, stdout == Console.Out ? null : stdout);
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<SoarPipeline>();
        var metrics = provider.GetRequiredService<PipelineMetrics>();

        pipeline.Start();
        var endpoint = await provider.GetRequiredService<TcpSyslogSource>().Listening.WaitAsync(Deadline, cancellationToken);

        var start = DateTimeOffset.UtcNow.AddMinutes(-3);
        var lines = DemoScenario.Build(start, seed).Lines;
        stdout.WriteLine("Soar demo: the whole pipeline in one process, on embedded defaults.");
        stdout.WriteLine($"  ingest      syslog over TCP on {endpoint} (a free loopback port)");
        stdout.WriteLine($"  attack      {DemoScenario.Attackers.Length} attackers " +
                         $"({string.Join(", ", DemoScenario.Attackers.Select(a => a.Failures))} failed logins), " +
                         $"1 address with 3 typos, 3 benign logins: {lines.Length} sshd lines");
        // Said from what was composed, so that the banner cannot drift from the configuration.
        var rules = provider.GetRequiredService<Detector>().Rules.Count;
        var virusTotal = provider.GetRequiredService<VirusTotalOptions>().IsConfigured;
        var discord = provider.GetService<DiscordOptions>() is not null;
        stdout.WriteLine($"  detection   {rules} built-in rules, e.g. more than 10 failed logins from one address within 60 s");
        stdout.WriteLine(virusTotal ? "  enrichment  VirusTotal" : "  enrichment  VirusTotal not configured (skipped)");
        stdout.WriteLine(discord ? "  response    console and Discord cards" : "  response    console cards (Discord not configured)");
        stdout.WriteLine();

        await SendAsync(endpoint, lines, cancellationToken);
        while (metrics.LinesProcessed < lines.Length && clock.Elapsed < Deadline)
            await Task.Delay(20, cancellationToken);
        await pipeline.StopAsync(cancellationToken);

        var incidents = provider.GetRequiredService<Detector>().Incidents.ToList();
        stdout.WriteLine();
        IncidentTable.Write(stdout, incidents);
        stdout.WriteLine();
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{metrics.LinesProcessed} of {lines.Length} lines processed, {metrics.EventsRecognised} authentication events, " +
            $"{incidents.Count} incidents in {clock.Elapsed.TotalSeconds:0.00} s."));

        var expected = DemoScenario.Attackers.Select(a => IPAddress.Parse(a.Ip).ToString()).Order().ToList();
        var found = incidents.Select(i => i.Key.Value).Order().ToList();
        if (metrics.LinesProcessed != lines.Length || !expected.SequenceEqual(found))
        {
            stderr.WriteLine($"soar demo: expected incidents for {string.Join(", ", expected)}; got {string.Join(", ", found)}.");
            return SoarCommandLine.RuntimeFailure;
        }
        return SoarCommandLine.Success;
    }

    private static async Task SendAsync(IPEndPoint endpoint, IReadOnlyList<SimulatedLine> lines, CancellationToken cancellationToken)
    {
        // The same path as 'soar simulate': RFC 3164 with <PRI>, one line each, over a real socket.
        await using var output = new TcpLineOutput(endpoint.Address.ToString(), endpoint.Port, Framing.Lf, TimeSpan.FromSeconds(5),
            TimeProvider.System);
        await output.ConnectAsync(cancellationToken);
        var renderer = new SyslogRenderer(SyslogFormat.Rfc3164, "web-01", TimeZoneInfo.Local, priority: true);
        await new SimulationSender(renderer, output, TimeProvider.System).SendAsync(lines, new Pacing(), null, cancellationToken);
    }
}
