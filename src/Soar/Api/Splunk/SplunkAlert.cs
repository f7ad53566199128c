using System.Text.Json;

namespace Soar.Api.Splunk;

/// <summary>
/// What Splunk's webhook alert action posts: the first result row of the triggering search and
/// a few facts about the search. Result values arrive as strings; <c>search_name</c> may be null.
/// </summary>
public sealed record SplunkAlert(
    string? SearchName,
    string? Sid,
    string? ResultsLink,
    string? Owner,
    string? App,
    IReadOnlyDictionary<string, string> Result)
{
    /// <summary>
    /// Reads a webhook body. Tolerates unknown fields and non-string values (numbers, booleans,
    /// multivalue arrays joined with commas); refuses anything that is not a JSON object with a
    /// <c>result</c> object, with a message that says what was wrong.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out SplunkAlert? alert, out string error)
    {
        alert = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            error = $"The body is not valid JSON: {e.Message}";
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The body must be a JSON object, as Splunk's webhook alert action sends.";
                return false;
            }
            if (!root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
            {
                error = "The body has no 'result' object (the first result row of the alert's search).";
                return false;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in result.EnumerateObject())
            {
                if (Text(field.Value) is { } value) fields[field.Name] = value;
            }
            alert = new SplunkAlert(
                Text(root, "search_name"), Text(root, "sid"), Text(root, "results_link"),
                Text(root, "owner"), Text(root, "app"), fields);
            error = "";
            return true;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? Text(value) : null;

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        // A multivalue field not flattened with mvjoin.
        JsonValueKind.Array => string.Join(',', value.EnumerateArray().Select(Text).OfType<string>()),
        _ => null,
    };
}
