using Soar.Events;

namespace Soar.Response.Outbox;

/// <summary>Delivers outbox rows to an in-process <see cref="IResponder"/> (the console): it cannot fail transiently.</summary>
public sealed class ResponderAdapter(IResponder inner, params IncidentChangeKind[] kinds) : IOutboxResponder
{
    public string Name => inner.Name;

    public bool Accepts(IncidentChangeKind kind) => kinds.Length == 0 || kinds.Contains(kind);

    public async Task<DeliveryResult> DeliverAsync(Notification notification, CancellationToken cancellationToken)
    {
        await inner.RespondAsync(notification.Change, cancellationToken);
        return DeliveryResult.Delivered;
    }
}
