using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Soar.Api.Metrics;
using Soar.Enrichment;
using Soar.Events;
using Soar.Pipeline;
using Soar.Response.Console;
using Soar.Response.Discord;
using Soar.Response.File;
using Soar.Response.Outbox;
using Soar.Response.Webhook;
using Soar.Storage;
using Soar.Storage.Sqlite;

namespace Soar.Response;

/// <summary>The response stage's part of the composition root: the outbox, its dispatcher and the responders.</summary>
public static class ResponseServiceCollectionExtensions
{
    /// <summary>
    /// Registers the outbox (in the SQLite database of the data directory, <c>DataDir</c>), the incident
    /// store that writes its rows, and the configured
    /// responders: the console always; Discord with <c>Discord:WebhookUrl</c>; a JSON-lines file with
    /// <c>Response:File:Path</c>; a generic JSON webhook with <c>Response:Webhook:Url</c>.
    /// Bad configuration throws <see cref="ArgumentException"/> naming the key.
    /// </summary>
    public static IServiceCollection AddSoarResponse(this IServiceCollection services, IConfiguration configuration,
        TextWriter console, bool colour)
    {
        var response = configuration.BindSection<ResponseOptions>("Response").Validate();
        var discord = configuration.BindSection<DiscordOptions>("Discord");
        if (discord.Enabled) discord.Validate();
        var file = configuration.BindSection<JsonLinesOptions>("Response:File");
        file.Validate();
        var webhook = configuration.BindSection<JsonWebhookOptions>("Response:Webhook");
        if (webhook.Enabled) webhook.Validate();
        var known = new[] { "console", "discord", "file", "webhook" };
        var unknown = response.Routes.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase));
        if (unknown is not null)
            throw new ArgumentException($"Response:Routes:{unknown}: no such responder (known: {string.Join(", ", known)}).");

        // Incident changes reach the outbox through the store: its transaction writes the rows.
        services.AddSoarStorage(configuration);
        services.AddSingleton<ISchemaMigration, OutboxMigration>();
        services.AddSingleton<ISchemaMigration, DiscordMessagesMigration>();
        services.TryAddSingleton<IThreatIntel, NotConfiguredThreatIntel>();
        services.TryAddSingleton(new SeverityPolicy()); // the enrichment stage registers the configured one
        services.TryAddSingleton<IncidentIntel>();

        services.AddSingleton(response);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxConnection>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<ResponderHealth>();
        services.TryAddSingleton<NotificationLatency>();
        services.AddSingleton<OutboxMetrics>();
        services.AddSingleton<PendingIntel>();
        services.AddSingleton<IResponderHealth>(sp => sp.GetRequiredService<ResponderHealth>());
        services.AddHealthChecks().AddCheck<ResponderHealthCheck>("responders");
        services.AddSingleton(sp =>
        {
            // A VirusTotal answer that arrives after its card went out escalates the incident or updates
            // the card. LateIntel needs the store, which needs this writer: resolved when a report comes.
            var writer = ActivatorUtilities.CreateInstance<OutboxWriter>(sp);
            sp.GetRequiredService<IThreatIntel>().ReportReady += (_, report) => sp.GetRequiredService<LateIntel>().OnReport(report);
            return writer;
        });
        services.AddSingleton<LateIntel>();
        services.AddSingleton<IIncidentTransactionParticipant>(sp => sp.GetRequiredService<OutboxWriter>());
        services.AddSingleton<OutboxDispatcher>();

        services.AddSingleton<IOutboxResponder>(new ConsoleResponder(console, colour));
        if (discord.Enabled)
        {
            services.AddSingleton(discord);
            services.AddSingleton<DiscordMessageStore>();
            services.AddSingleton<IOutboxResponder>(sp => new DiscordResponder(discord,
                sp.GetRequiredService<DiscordMessageStore>(), sp.GetRequiredService<TimeProvider>()));
        }
        if (file.Enabled)
            services.AddSingleton<IOutboxResponder>(sp => new JsonLinesResponder(file, sp.GetRequiredService<TimeProvider>()));
        if (webhook.Enabled)
            services.AddSingleton<IOutboxResponder>(sp => new JsonWebhookResponder(webhook, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
