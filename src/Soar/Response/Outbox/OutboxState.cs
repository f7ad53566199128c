namespace Soar.Response.Outbox;

/// <summary>The life of an outbox row. Only <see cref="Delivered"/> and <see cref="Failed"/> are final.</summary>
public enum OutboxState : byte
{
    Pending,
    InFlight,
    Delivered,
    /// <summary>Permanent: the responder refused it for good, or it was retried for too long.</summary>
    Failed,
}

public static class OutboxStateNames
{
    public static string Name(this OutboxState state) => state switch
    {
        OutboxState.Pending => "pending",
        OutboxState.InFlight => "in_flight",
        OutboxState.Delivered => "delivered",
        _ => "failed",
    };

    public static OutboxState Parse(string name) => name switch
    {
        "pending" => OutboxState.Pending,
        "in_flight" => OutboxState.InFlight,
        "delivered" => OutboxState.Delivered,
        "failed" => OutboxState.Failed,
        _ => throw new FormatException($"Unknown outbox state '{name}'."),
    };
}
