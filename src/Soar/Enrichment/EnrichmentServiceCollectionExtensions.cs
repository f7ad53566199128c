using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;
using Soar.Enrichment.Local;
using Soar.Enrichment.VirusTotal;
using Soar.Pipeline;
using Soar.Storage;
using Soar.Storage.Sqlite;

namespace Soar.Enrichment;

/// <summary>Registers threat intelligence; called once from the composition root.</summary>
public static class EnrichmentServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IThreatIntel"/>: VirusTotal when a key is configured, otherwise
    /// <see cref="NotConfiguredThreatIntel"/>; wrapped with the local blocklists when files are
    /// configured. Also the <see cref="SeverityPolicy"/> and a "virustotal" health check. How long a
    /// card waits for a lookup is the response stage's <c>Response:IntelWait</c>. Bad configuration throws <see cref="ArgumentException"/> naming the key.
    /// </summary>
    public static IServiceCollection AddSoarEnrichment(this IServiceCollection services, IConfiguration configuration)
    {
        var virusTotal = configuration.BindSection<VirusTotalOptions>("VirusTotal");
        virusTotal.Validate();
        var blocklists = configuration.BindSection<BlocklistOptions>("Blocklists");
        blocklists.Validate();
        var policy = configuration.BindSection<SeverityPolicyOptions>("SeverityPolicy");
        policy.Validate();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(virusTotal);
        services.AddSingleton(blocklists);
        services.AddSingleton(new SeverityPolicy(policy));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISchemaMigration, VirusTotalCacheMigration>());
        services.AddHealthChecks().AddCheck<VirusTotalHealthCheck>("virustotal");

        if (virusTotal.IsConfigured) AddVirusTotal(services, configuration, virusTotal);
        else services.AddSingleton<NotConfiguredThreatIntel>();
        if (blocklists.Files.Count > 0) services.AddSingleton<LocalBlocklists>();

        services.AddSingleton<IThreatIntel>(sp =>
        {
            IThreatIntel intel = virusTotal.IsConfigured
                ? sp.GetRequiredService<VirusTotalEnricher>()
                : sp.GetRequiredService<NotConfiguredThreatIntel>();
            return blocklists.Files.Count == 0 ? intel : new BlocklistThreatIntel(intel, sp.GetRequiredService<LocalBlocklists>());
        });
        return services;
    }

    private static void AddVirusTotal(IServiceCollection services, IConfiguration configuration, VirusTotalOptions options)
    {
        services.AddSoarDatabase(configuration); // the cache and the call log
        services.AddSingleton<VirusTotalCache>();
        services.AddSingleton(sp =>
        {
            var cache = sp.GetRequiredService<VirusTotalCache>();
            var time = sp.GetRequiredService<TimeProvider>();
            var quota = new VirusTotalQuota(options, time, cache.CallsSince(time.GetUtcNow() - TimeSpan.FromDays(1)));
            quota.CallRecorded += at =>
            {
                try { cache.RecordCall(at); }
                catch (Microsoft.Data.Sqlite.SqliteException) { /* the in-memory budget still holds */ }
            };
            return quota;
        });
        services.AddTransient<VirusTotalQuotaHandler>();
        services.AddSingleton<VirusTotalClient>();
        services.AddSingleton<VirusTotalEnricher>();

        var http = services.AddHttpClient(VirusTotalClient.HttpClientName, client =>
            {
                client.BaseAddress = options.BaseUri;
                client.DefaultRequestHeaders.Add("x-apikey", options.ApiKey);
                client.DefaultRequestHeaders.UserAgent.ParseAdd("soar/1.0");
                client.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own timeout; quota waits are not timeouts
                client.MaxResponseContentBufferSize = 8 * 1024 * 1024;
            })
            .RedactLoggedHeaders(["x-apikey"]);
        // Outermost: retries of 5xx and timeouts, exponential with jitter. Network timing runs on
        // real time, not the injected clock: it is about the network, not about events.
        http.AddResilienceHandler("virustotal-retry", builder =>
        {
            builder.TimeProvider = TimeProvider.System;
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && IsTransient(args.Outcome)),
            });
        });
        // Then the quota: every attempt takes a slot. Then the timeout of that one attempt.
        http.AddHttpMessageHandler<VirusTotalQuotaHandler>();
        http.AddResilienceHandler("virustotal-attempt", builder =>
        {
            builder.TimeProvider = TimeProvider.System;
            builder.AddTimeout(options.RequestTimeout);
        });
    }

    // 429 is not here: the quota is handled by waiting for the window, not by retrying.
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };
}
