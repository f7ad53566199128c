using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Soar.Events;

namespace Soar.Response.Outbox;

/// <summary>
/// The incident snapshot stored in an outbox row: everything a responder needs, so that the
/// dispatcher reads nothing else (and a restart delivers exactly what was committed).
/// </summary>
public static class IncidentSnapshotJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(Incident incident) => JsonSerializer.Serialize(incident, Options);

    public static Incident Deserialize(string json) =>
        JsonSerializer.Deserialize<Incident>(json, Options) ?? throw new JsonException("The snapshot is null.");

    /// <summary>Who an incident is across restarts: ids from the in-memory tracker start again at 1.</summary>
    public static string Reference(Incident incident) => string.Create(CultureInfo.InvariantCulture,
        $"{incident.Id}|{incident.Key.Field}={incident.Key.Value}|{incident.OpenedAt.UtcTicks}");

    public static string KindName(IncidentChangeKind kind) => kind switch
    {
        IncidentChangeKind.Opened => "opened",
        IncidentChangeKind.Updated => "updated",
        IncidentChangeKind.Escalated => "escalated",
        _ => "resolved",
    };

    public static IncidentChangeKind ParseKind(string name) => name switch
    {
        "opened" => IncidentChangeKind.Opened,
        "updated" => IncidentChangeKind.Updated,
        "escalated" => IncidentChangeKind.Escalated,
        "resolved" => IncidentChangeKind.Resolved,
        _ => throw new FormatException($"Unknown incident change kind '{name}'."),
    };
}
