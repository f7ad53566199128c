using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Soar.Detection;
using Soar.Ingest;
using Soar.Ingest.Syslog;
using Soar.Ingest.Tcp;
using Soar.Parsing;
using Soar.Parsing.Sshd;
using Soar.Response;
using Soar.Response.Console;

namespace Soar.Pipeline;

/// <summary>The composition root: every stage of the pipeline is wired here and nowhere else.</summary>
public static class SoarServiceCollectionExtensions
{
    /// <summary>
    /// Registers the pipeline. Options are read from <paramref name="configuration"/> and
    /// validated here, so that bad configuration fails at start-up with the key it concerns.
    /// </summary>
    public static IServiceCollection AddSoarPipeline(this IServiceCollection services, IConfiguration configuration,
        TextWriter? console = null)
    {
        var tcp = Bind<TcpSyslogOptions>(configuration, "Ingest:Tcp");
        tcp.ParseEndpoint();
        var syslog = Bind<SyslogOptions>(configuration, "Syslog");
        var zone = syslog.ResolveTimeZone();
        var detection = Bind<DetectionOptions>(configuration, "Detection");
        detection.Validate();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(tcp);
        services.AddSingleton(detection);
        services.AddSingleton(Bind<PipelineOptions>(configuration, "Pipeline"));
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton(sp => new SyslogLineParser(sp.GetRequiredService<TimeProvider>(), zone));
        services.AddSingleton<SshdParser>();
        services.AddSingleton<AuthLogParser>();
        services.AddSingleton<BruteForceRule>();
        services.AddSingleton<IncidentTracker>();
        services.AddSingleton<Detector>();

        services.AddSingleton<TcpSyslogSource>();
        services.AddSingleton<IMessageSource>(sp => sp.GetRequiredService<TcpSyslogSource>());

        var output = console ?? System.Console.Out;
        var colour = console is null && ConsoleResponder.TerminalSupportsColour();
        services.AddSoarResponse(configuration, output, colour);

        services.AddSingleton<SoarPipeline>();
        services.AddHostedService<PipelineHostedService>();
        return services;
    }

    private static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"Configuration section '{section}': {e.Message}", e);
        }
    }
}
