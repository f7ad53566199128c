using System.Text.Json;
using Soar.Events;
using Soar.Response.Outbox;

namespace Soar.Response;

/// <summary>
/// The JSON a file line or a generic webhook carries: the notification id (stable across
/// re-deliveries, to de-duplicate), the change, the severity and why, the incident in the shape of
/// <c>soar replay --json</c>, and the threat intel.
/// </summary>
public static class NotificationJson
{
    public static void Write(Utf8JsonWriter json, Notification n, DateTimeOffset sentAt)
    {
        json.WriteStartObject();
        json.WriteString("notification_id", $"soar-{n.Id}");
        json.WriteString("change", IncidentSnapshotJson.KindName(n.Kind));
        json.WriteString("sent_at", sentAt);
        json.WriteString("severity", n.Assessment.Severity.Name());
        json.WriteString("severity_reason", n.Assessment.Reason);
        json.WritePropertyName("incident");
        JsonOutput.WriteIncident(json, n.Incident);
        json.WriteStartObject("intel");
        json.WriteString("status", n.Intel.Status.ToString().ToLowerInvariant());
        if (n.Intel.Note is not null) json.WriteString("note", n.Intel.Note);
        if (n.Intel.Malicious is { } malicious) json.WriteNumber("malicious", malicious);
        if (n.Intel.Suspicious is { } suspicious) json.WriteNumber("suspicious", suspicious);
        if (n.Intel.Reputation is { } reputation) json.WriteNumber("reputation", reputation);
        if (n.Intel.AsOwner is not null) json.WriteString("as_owner", n.Intel.AsOwner);
        if (n.Intel.Country is not null) json.WriteString("country", n.Intel.Country);
        if (n.Intel.GuiLink is not null) json.WriteString("link", n.Intel.GuiLink);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static byte[] ToUtf8(Notification n, DateTimeOffset sentAt)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer)) Write(json, n, sentAt);
        return buffer.ToArray();
    }
}
