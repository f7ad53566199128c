using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Soar.Pipeline;

namespace Soar.Api;

/// <summary>
/// The service as one web application: the pipeline (a hosted service) and the HTTP API on
/// Kestrel, listening on <see cref="HttpApiOptions.Listen"/>.
/// </summary>
public static partial class SoarHttpHost
{
    /// <summary>
    /// Builds the application. Bad configuration throws <see cref="ArgumentException"/> naming the key.
    /// <paramref name="configureServices"/> lets tests add to or replace registrations.
    /// </summary>
    public static WebApplication Build(IConfiguration configuration, Action<ILoggingBuilder> configureLogging,
        TextWriter? console = null, Action<IServiceCollection>? configureServices = null)
    {
        var endpoint = configuration.BindSection<HttpApiOptions>("Http").ParseEndpoint();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        configureLogging(builder.Logging);
        // The webhook URL carries its token in the path, and the framework logs request paths
        // below Warning (hosting, routing): keep those out of every log.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint);
        });

        builder.Services.AddSoarPipeline(builder.Configuration, console);
        builder.Services.AddSoarHttpApi(builder.Configuration);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapSoarHttpApi();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SoarHttpHost));
        app.Lifetime.ApplicationStarted.Register(() => LogListening(logger, string.Join(", ", ListeningAddresses(app))));
        return app;
    }

    /// <summary>The addresses Kestrel is bound to (the real port when 0 was asked for); empty before start.</summary>
    public static IReadOnlyList<string> ListeningAddresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP API listening on {Addresses}")]
    private static partial void LogListening(ILogger logger, string addresses);
}
