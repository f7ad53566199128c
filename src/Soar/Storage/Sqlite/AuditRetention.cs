using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Soar.Storage.Sqlite;

/// <summary>
/// Keeps the audit trail bounded: entries recorded more than <see cref="StorageOptions.AuditRetention"/>
/// ago are purged at start-up, then once a day. The incidents themselves stay.
/// </summary>
public sealed partial class AuditRetention(IncidentStore store, StorageOptions options, TimeProvider time,
    ILogger<AuditRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var purged = store.PurgeAudit(time.GetUtcNow() - options.AuditRetention);
                if (purged > 0) LogPurged(purged, options.AuditRetention);
            }
            catch (SqliteException e)
            {
                LogPurgeFailed(e); // tried again tomorrow; the audit only grows meanwhile
            }
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit trail: {Count} entries older than {Retention} purged")]
    private partial void LogPurged(int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit trail: the retention purge failed")]
    private partial void LogPurgeFailed(Exception exception);
}
