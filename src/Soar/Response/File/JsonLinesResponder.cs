using Soar.Events;
using Soar.Response.Outbox;

namespace Soar.Response.File;

/// <summary>
/// Appends one JSON line per notification to a file (for a SIEM or a log shipper to pick up).
/// Each line is written whole and flushed before the row counts as delivered; after a crash a
/// line may appear twice, with the same <c>notification_id</c>.
/// </summary>
public sealed class JsonLinesResponder(JsonLinesOptions options, TimeProvider time) : IOutboxResponder
{
    public string Name => "file";

    public bool Accepts(IncidentChangeKind kind) => true;

    public async Task<DeliveryResult> DeliverAsync(Notification notification, CancellationToken cancellationToken)
    {
        var line = NotificationJson.ToUtf8(notification, time.GetUtcNow());
        try
        {
            await using var file = new FileStream(options.Path!, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            await file.WriteAsync(line.Append((byte)'\n').ToArray(), cancellationToken);
            await file.FlushAsync(cancellationToken);
            return DeliveryResult.Delivered;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DeliveryResult.Retry($"cannot append to the file: {e.GetType().Name}");
        }
    }
}
