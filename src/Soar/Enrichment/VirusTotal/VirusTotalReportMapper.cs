using System.Text.Json;

namespace Soar.Enrichment.VirusTotal;

/// <summary>
/// Turns a VirusTotal v3 IP address object (<c>{"data": {"attributes": …}}</c>) into an
/// <see cref="IntelReport"/>. Pure. Every attribute is optional, and one of an unexpected type
/// is treated as absent rather than failing the whole report.
/// </summary>
public static class VirusTotalReportMapper
{
    public static string GuiLink(string ip) => $"https://www.virustotal.com/gui/ip-address/{ip}";

    /// <summary>Maps a 200 body. Throws <see cref="JsonException"/> when the body is not JSON at all.</summary>
    public static IntelReport Map(string ip, string json, DateTimeOffset fetchedAt)
    {
        using var document = JsonDocument.Parse(json);
        var attributes = document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object
                ? a
                : default;
        var stats = Object(attributes, "last_analysis_stats");
        return new IntelReport
        {
            Ip = ip,
            Status = IntelStatus.Found,
            Malicious = Int(stats, "malicious"),
            Suspicious = Int(stats, "suspicious"),
            Harmless = Int(stats, "harmless"),
            Undetected = Int(stats, "undetected"),
            Timeout = Int(stats, "timeout"),
            Reputation = Int(attributes, "reputation"),
            Country = Text(attributes, "country"),
            AsOwner = Text(attributes, "as_owner"),
            Asn = Long(attributes, "asn"),
            Network = Text(attributes, "network"),
            Tags = Strings(attributes, "tags"),
            LastAnalysisDate = Long(attributes, "last_analysis_date") is { } seconds
                && seconds is >= 0 and <= 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
            GuiLink = GuiLink(ip),
            FetchedAt = fetchedAt,
        };
    }

    private static JsonElement Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Object ? value : default;

    private static JsonElement? Property(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) ? value : null;

    private static int? Int(JsonElement parent, string name) =>
        Property(parent, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : null;

    private static long? Long(JsonElement parent, string name) =>
        Property(parent, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    private static string? Text(JsonElement parent, string name) =>
        Property(parent, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text ? text : null;

    private static IReadOnlyList<string> Strings(JsonElement parent, string name) =>
        Property(parent, name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
}
