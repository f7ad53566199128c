using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Soar.Api;
using Soar.Cli.Hosting;

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
        var http = new Option<string?>("--http")
        {
            Description = "HTTP API listen address: Splunk webhook, incidents, health, metrics (env SOAR_HTTP; default 127.0.0.1:5000).",
        };
        var command = new Command("run", "Run the service: listen for syslog, detect, respond. Ctrl+C drains and stops.")
        {
            syslogTcp, dataDir, config,
        };
        command.Options.Add(http);
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
            if (parsed.GetValue(http) is { } httpListen) configuration["Http:Listen"] = httpListen;

            WebApplication host;
            try
            {
                // The pipeline and the HTTP API (webhook, incidents, health, metrics) in one web application.
                host = SoarHttpHost.Build(configuration, logging => logging.AddSoarConsole(LogLevel.Information));
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"soar run: bad configuration: {e.Message}");
                return SoarCommandLine.BadUsage;
            }

            await using var _ = host;
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
