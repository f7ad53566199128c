using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Soar.Detection;
using Soar.Enrichment;
using Soar.Ingest;
using Soar.Ingest.Syslog;
using Soar.Parsing;
using Soar.Parsing.Sshd;
using Soar.Response;
using Soar.Response.Console;
using Soar.Storage;
using Soar.Storage.Sqlite;

namespace Soar.Pipeline;

/// <summary>The composition root: every stage of the pipeline is wired here and nowhere else.</summary>
public static class SoarServiceCollectionExtensions
{
    /// <summary>
    /// Registers the pipeline. Options are read from <paramref name="configuration"/> and
    /// validated here, so that bad configuration fails at start-up with the key it concerns.
    /// <c>DataDir</c> is required: incidents, the outbox and the VirusTotal cache live there.
    /// </summary>
    public static IServiceCollection AddSoarPipeline(this IServiceCollection services, IConfiguration configuration,
        TextWriter? console = null)
    {
        var syslog = configuration.BindSection<SyslogOptions>("Syslog");
        var zone = syslog.ResolveTimeZone();
        var detection = configuration.BindSection<DetectionOptions>("Detection");
        var (rules, allowlist) = detection.Validate();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(detection);
        services.AddSingleton(configuration.BindSection<PipelineOptions>("Pipeline"));
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton(sp => new SyslogLineParser(sp.GetRequiredService<TimeProvider>(), zone));
        services.AddSingleton<SshdParser>();
        services.AddSingleton<AuthLogParser>();
        services.AddSingleton(sp =>
        {
            // Open incidents of the previous run go on being updated by an attacker who keeps going.
            var tracker = new IncidentTracker(detection.QuietPeriod);
            var (open, nextId) = sp.GetRequiredService<IncidentStore>().LoadOpen();
            tracker.Restore(open, nextId);
            return tracker;
        });
        services.AddSingleton(sp => new Detector(rules, sp.GetRequiredService<IncidentTracker>(), allowlist,
            detection.OutOfOrderTolerance));
        services.AddSoarStorage(configuration);

        services.AddSoarEnrichment(configuration);
        services.AddSoarIngest(configuration);

        var output = console ?? System.Console.Out;
        var colour = console is null && ConsoleResponder.TerminalSupportsColour();
        services.AddSoarResponse(configuration, output, colour);

        services.AddSingleton<SoarPipeline>();
        services.AddHostedService<PipelineHostedService>();
        return services;
    }
}
