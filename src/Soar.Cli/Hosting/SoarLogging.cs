using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Soar.Cli.Hosting;

/// <summary>Logs go to stderr, one line each, so that stdout carries only cards and data.</summary>
public static class SoarLogging
{
    public static ILoggingBuilder AddSoarConsole(this ILoggingBuilder logging, LogLevel minimum)
    {
        logging.SetMinimumLevel(minimum);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        // Every VirusTotal lookup would log its request, its handler and its retry pipeline.
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        logging.AddFilter("Polly", LogLevel.Warning);
        // A host that fails to start (a port taken) logs the whole stack trace; 'soar run' says the
        // reason in one line and logs the trace at Debug itself.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.UseUtcTimestamp = true;
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        return logging;
    }
}
