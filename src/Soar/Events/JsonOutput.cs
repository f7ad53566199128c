using System.Text.Json;

namespace Soar.Events;

/// <summary>The JSON shapes of DESIGN.md's contracts: events from <c>soar parse</c>, incidents from
/// <c>soar replay --json</c> and the HTTP API.</summary>
public static class JsonOutput
{
    public static void WriteEvent(Utf8JsonWriter json, AuthEvent e)
    {
        json.WriteStartObject();
        json.WriteString("time", e.Time);
        json.WriteString("host", e.Host);
        json.WriteString("program", e.Program);
        if (e.Pid is { } pid) json.WriteNumber("pid", pid); else json.WriteNull("pid");
        json.WriteString("kind", e.Kind.Name());
        json.WriteString("outcome", e.Outcome.Name());
        json.WriteString("user", e.User);
        json.WriteBoolean("invalid_user", e.InvalidUser);
        json.WriteString("src_ip", e.SourceIp);
        if (e.SourcePort is { } port) json.WriteNumber("src_port", port); else json.WriteNull("src_port");
        json.WriteString("method", e.Method);
        json.WriteNumber("count", e.Count);
        json.WriteString("line", e.Line);
        json.WriteEndObject();
    }

    public static void WriteIncident(Utf8JsonWriter json, Incident incident)
    {
        json.WriteStartObject();
        json.WriteNumber("id", incident.Id);
        json.WriteStartObject("key");
        json.WriteString(incident.Key.Field, incident.Key.Value);
        json.WriteEndObject();
        json.WriteString("status", incident.Status == IncidentStatus.Open ? "open" : "resolved");
        json.WriteString("severity", incident.Severity.Name());
        if (incident.RaisedByIntel)
        {
            // Only when threat intel raised it: detection's own, and the policy's reason.
            json.WriteString("detected_severity", incident.DetectedSeverity.Name());
            json.WriteString("severity_reason", incident.IntelReason);
        }
        json.WriteStartArray("findings");
        foreach (var f in incident.Findings)
        {
            json.WriteStartObject();
            json.WriteString("rule", f.Rule);
            json.WriteString("severity", f.Severity.Name());
            json.WriteNumber("count", f.Count);
            json.WriteString("first_seen", f.FirstSeen);
            json.WriteString("last_seen", f.LastSeen);
            json.WriteString("reason", f.Reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteStrings(json, "users", incident.Users);
        WriteStrings(json, "hosts", incident.Hosts);
        json.WriteNumber("attempts", incident.Attempts);
        json.WriteString("first_seen", incident.FirstSeen);
        json.WriteString("last_seen", incident.LastSeen);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
