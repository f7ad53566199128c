using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Soar.Pipeline;
using Soar.Storage.Sqlite;

namespace Soar.Storage;

/// <summary>The storage stage's part of the composition root: the SQLite database and the incident store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The SQLite database of the data directory (configuration key <c>DataDir</c>, required: there is no
    /// silent default, so every component that keeps state writes to the directory the caller chose).
    /// Safe to call from every stage; a second call naming another directory is refused.
    /// </summary>
    public static IServiceCollection AddSoarDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var dataDir = configuration["DataDir"];
        if (string.IsNullOrWhiteSpace(dataDir))
            throw new ArgumentException("DataDir: the data directory must be set (soar run uses ./data).");
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(SoarDatabaseOptions))?.ImplementationInstance;
        if (registered is SoarDatabaseOptions existing)
        {
            if (FullPath(existing.DataDir) != FullPath(dataDir))
                throw new ArgumentException($"DataDir: '{dataDir}' differs from the data directory already registered, '{existing.DataDir}'.");
            return services;
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new SoarDatabaseOptions { DataDir = dataDir });
        services.AddSingleton<SoarDatabase>();
        return services;
    }

    /// <summary>
    /// Keeps incidents and their audit trail in the database: the one way incident changes reach the
    /// outbox (its rows are written in the store's transaction) and the one place they are read from.
    /// </summary>
    public static IServiceCollection AddSoarStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSoarDatabase(configuration);
        if (services.Any(d => d.ServiceType == typeof(IncidentStore))) return services;
        services.AddSingleton(configuration.BindSection<StorageOptions>("Storage").Validate());
        foreach (var migration in IncidentStore.Migrations)
            services.AddSingleton(typeof(ISchemaMigration), migration);
        services.AddSingleton<IncidentStore>();
        services.AddSingleton<IIncidentQueries>(sp => sp.GetRequiredService<IncidentStore>());
        services.AddSingleton<IIncidentRecorder>(sp => sp.GetRequiredService<IncidentStore>());
        services.AddHostedService<AuditRetention>();
        return services;
    }

    private static string FullPath(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
