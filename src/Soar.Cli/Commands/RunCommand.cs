using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Soar.Cli.Hosting;
using Soar.Pipeline;

namespace Soar.Cli.Commands;

internal static class RunCommand
{
    public static Command Create(TextWriter stderr)
    {
        var syslogTcp = new Option<string?>("--syslog-tcp")
        {
            Description = "Syslog TCP listen address (env SOAR_SYSLOG_TCP; default 127.0.0.1:1514).",
        };
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "Data directory for the SQLite store (env SOAR_DATA_DIR; default ./data).",
        };
        var config = new Option<string?>("--config") { Description = "A JSON configuration file." };
        var command = new Command("run", "Run the service: listen for syslog, detect, respond. Ctrl+C drains and stops.")
        {
            syslogTcp, dataDir, config,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            IConfiguration configuration;
            try
            {
                configuration = SoarConfiguration.Build(parsed.GetValue(config),
                [
                    new("Ingest:Tcp:Listen", parsed.GetValue(syslogTcp)),
                    new("DataDir", parsed.GetValue(dataDir)),
                ]);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"soar run: {e.Message}");
                return SoarCommandLine.BadUsage;
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddConfiguration(configuration);
            // The service always keeps its incidents (demo and tests run in memory).
            builder.Configuration["DataDir"] = configuration["DataDir"] ?? "data";
            builder.Logging.AddSoarConsole(LogLevel.Information);
            try
            {
                builder.Services.AddSoarPipeline(builder.Configuration);
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"soar run: bad configuration: {e.Message}");
                return SoarCommandLine.BadUsage;
            }

            using var host = builder.Build();
            try
            {
                await host.RunAsync(cancellationToken);
                return SoarCommandLine.Success;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                await stderr.WriteLineAsync($"soar run: {e.Message}");
                return SoarCommandLine.RuntimeFailure;
            }
        });
        return command;
    }
}
