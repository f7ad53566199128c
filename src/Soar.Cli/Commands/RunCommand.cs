using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Soar.Api;
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
        var command = new Command("run", "Run the service: listen for syslog, detect, respond. Ctrl+C drains and stops.")
        {
            syslogTcp, syslogUdp, syslogTls, tlsCert, tlsKey, follow, fromStart, stdin, dataDir, config,
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

            // The service keeps its incidents, outbox and cache in ./data unless told otherwise.
            configuration["DataDir"] ??= "data";
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
            var pipeline = host.Services.GetRequiredService<SoarPipeline>();
            try
            {
                await host.RunAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (pipeline.SourceFailure.IsCompleted)
            {
                // A source failed while the host was still starting: said below.
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                await stderr.WriteLineAsync($"soar run: {e.Message}");
                return SoarCommandLine.RuntimeFailure;
            }
            if (pipeline.SourceFailure.IsCompleted)
            {
                await stderr.WriteLineAsync($"soar run: stopped: {pipeline.SourceFailure.Result.Message}");
                return SoarCommandLine.RuntimeFailure;
            }
            return SoarCommandLine.Success;
        });
        return command;
    }
}
