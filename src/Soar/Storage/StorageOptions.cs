namespace Soar.Storage;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>Audit entries are kept this long (by the time they were recorded), then purged.</summary>
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(30);

    public StorageOptions Validate()
    {
        if (AuditRetention <= TimeSpan.Zero) throw new ArgumentException("Storage:AuditRetention must be positive.");
        return this;
    }
}
