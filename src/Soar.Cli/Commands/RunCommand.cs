using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Soar.Api;
using Soar.Cli.Hosting;
using Soar.Detection.Rules;
using Soar.Pipeline;

namespace Soar.Cli.Commands;

internal static partial class RunCommand
{
    public static Command Create(TextWriter stderr)
    {
        var syslogTcp = new Option<string?>("--syslog-tcp")
        {
            Description = "Syslog TCP listen address (env SOAR_SYSLOG_TCP; default 127.0.0.1:1514).",
        };
        var syslogUdp = new Option<string?>("--syslog-udp")
        {
            Description = "Syslog UDP listen address, or 'off' (env SOAR_SYSLOG_UDP; default 127.0.0.1:1514).",
        };
        var syslogTls = new Option<string?>("--syslog-tls")
        {
            Description = "Syslog TLS (RFC 5425) listen address; needs --tls-cert (env SOAR_SYSLOG_TLS; default 127.0.0.1:6514 once a certificate is given).",
        };
        var tlsCert = new Option<string?>("--tls-cert")
        {
            Description = "Certificate for syslog TLS: a PEM file (with its key, or see --tls-key) or a .pfx/.p12 file; the password in env SOAR_TLS_CERT_PASSWORD (env SOAR_TLS_CERT).",
        };
        var tlsKey = new Option<string?>("--tls-key")
        {
            Description = "The PEM private key of --tls-cert, when it is in a file of its own (env SOAR_TLS_KEY).",
        };
        var follow = new Option<string[]>("--follow")
        {
            Description = "Follow a log file like tail -F, across rotation; repeat for more files.",
        };
        var fromStart = new Option<bool>("--from-start")
        {
            Description = "Read followed files from their start rather than only what is appended from now on.",
        };
        var stdin = new Option<bool>("--stdin")
        {
            Description = "Read log lines from standard input, e.g. journalctl -f -o short-iso -u ssh | soar run --stdin.",
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
        var rules = CommonOptions.RulesDirectory();
        var zone = CommonOptions.TimeZone();
        var command = new Command("run", "Run the service: listen for syslog, detect, respond. Ctrl+C drains and stops.")
        {
            syslogTcp, syslogUdp, syslogTls, tlsCert, tlsKey, follow, fromStart, stdin, dataDir, config, rules, zone,
        };
        command.Options.Add(http);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            IConfiguration configuration;
            try
            {
                var overrides = new List<KeyValuePair<string, string?>>
                {
                    new("Ingest:Tcp:Listen", parsed.GetValue(syslogTcp)),
                    new("Ingest:Udp:Listen", parsed.GetValue(syslogUdp)),
                    new("Ingest:Tls:Listen", parsed.GetValue(syslogTls)),
                    new("Ingest:Tls:CertificateFile", parsed.GetValue(tlsCert)),
                    new("Ingest:Tls:KeyFile", parsed.GetValue(tlsKey)),
                    new("DataDir", parsed.GetValue(dataDir)),
                    new("Detection:RulesDirectory", parsed.GetValue(rules)),
                    new("Syslog:TimeZone", parsed.GetValue(zone)),
                };
                var followed = parsed.GetValue(follow) ?? [];
                for (var i = 0; i < followed.Length; i++) overrides.Add(new($"Ingest:Files:Follow:{i}", followed[i]));
                if (parsed.GetValue(fromStart)) overrides.Add(new("Ingest:Files:FromStart", "true"));
                if (parsed.GetValue(stdin)) overrides.Add(new("Ingest:Stdin:Enabled", "true"));
                configuration = SoarConfiguration.Build(parsed.GetValue(config), overrides);
                // The service listens on UDP by default; a pipeline composed elsewhere (demo, tests) only when told.
                configuration["Ingest:Udp:Listen"] ??= "127.0.0.1:1514";
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"soar run: {e.Message}");
                return SoarCommandLine.BadUsage;
            }
            if (parsed.GetValue(http) is { } httpListen) configuration["Http:Listen"] = httpListen;
            // The wait for threat intel before a card goes out was documented as Enrichment:Deadline.
            if (configuration["Enrichment:Deadline"] is { } deadline)
            {
                configuration["Response:IntelWait"] ??= deadline;
                await stderr.WriteLineAsync("soar run: warning: Enrichment:Deadline is now Response:IntelWait; rename it.");
            }

            // The service keeps its incidents, outbox and cache in ./data unless told otherwise.
            configuration["DataDir"] ??= "data";
            WebApplication host;
            try
            {
                // The pipeline and the HTTP API (webhook, incidents, health, metrics) in one web application.
                host = SoarHttpHost.Build(configuration, logging => logging.AddSoarConsole(LogLevel.Information));
            }
            catch (TimeZoneNotFoundException)
            {
                await stderr.WriteLineAsync($"soar run: bad configuration: Syslog:TimeZone (SOAR_TIME_ZONE, --time-zone) " +
                                            $"'{configuration["Syslog:TimeZone"]}' is not a time zone such as UTC or Europe/Berlin.");
                return SoarCommandLine.BadUsage;
            }
            catch (ArgumentException e) when (e.InnerException is RuleLoadException rule)
            {
                await stderr.WriteLineAsync($"soar run: bad rule: {rule.Message}");
                return SoarCommandLine.BadUsage;
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"soar run: bad configuration: {e.Message}");
                return SoarCommandLine.BadUsage;
            }

            await using var _ = host;
            var pipeline = host.Services.GetRequiredService<SoarPipeline>();
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Soar.Cli.Run");
            try
            {
                await host.RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (pipeline.Failure.IsCompleted)
            {
                // The pipeline failed while the host was still starting: said below.
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                // One line says why (e.g. the HTTP port is taken); the stack trace is for Debug logging only.
                LogFailed(logger, e);
                await stderr.WriteLineAsync($"soar run: {e.Message}");
                return SoarCommandLine.RuntimeFailure;
            }
            if (pipeline.Failure.IsCompleted)
            {
                await stderr.WriteLineAsync($"soar run: stopped: {pipeline.Failure.Result.Message}");
                return SoarCommandLine.RuntimeFailure;
            }
            return SoarCommandLine.Success;
        });
        return command;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The service failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
