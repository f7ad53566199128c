using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Soar.Events;
using Soar.Storage;

namespace Soar.Api.Incidents;

/// <summary>
/// <c>GET /api/incidents</c> (filters status, severity, rule, since; paging with offset and limit,
/// most recently active first)
/// and <c>GET /api/incidents/{id}</c> (with its audit trail). Incidents have the JSON shape of
/// <c>soar replay --json</c>.
/// </summary>
public static class IncidentsApi
{
    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/incidents", (HttpRequest request, IIncidentQueries store) =>
        {
            if (!TryReadQuery(request.Query, out var query, out var error))
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad query", detail: error);
            // One more than the page tells whether there is a next page, without counting them all.
            var found = store.List(query with { Limit = query.Limit + 1 });
            return Json(json =>
            {
                json.WriteStartObject();
                json.WriteNumber("offset", query.Offset);
                json.WriteNumber("limit", query.Limit);
                if (found.Count > query.Limit) json.WriteNumber("next_offset", query.Offset + query.Limit);
                else json.WriteNull("next_offset");
                json.WriteStartArray("incidents");
                foreach (var incident in found.Take(query.Limit)) JsonOutput.WriteIncident(json, incident);
                json.WriteEndArray();
                json.WriteEndObject();
            });
        });

        app.MapGet("/api/incidents/{id}", (string id, IIncidentQueries store) =>
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad incident id",
                    detail: "An incident id is a positive whole number.");
            if (store.Get(number) is not { } record)
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such incident",
                    detail: $"There is no incident {number}.");
            return Json(json =>
            {
                json.WriteStartObject();
                json.WritePropertyName("incident");
                JsonOutput.WriteIncident(json, record.Incident);
                json.WriteStartArray("audit");
                foreach (var entry in record.Audit)
                {
                    json.WriteStartObject();
                    json.WriteString("at", entry.At);
                    json.WriteString("recorded_at", entry.RecordedAt);
                    json.WriteString("change", entry.Change);
                    json.WriteString("severity", entry.Severity.Name());
                    json.WriteString("detail", entry.Detail);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            });
        });
        return app;
    }

    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>Reads the filters and the page; on a bad value, says which and why.</summary>
    public static bool TryReadQuery(IQueryCollection values, out IncidentFilter query, out string error)
    {
        query = new IncidentFilter { Limit = DefaultLimit };
        error = "";
        if (Value(values, "status") is { } status)
        {
            if (status.Equals("open", StringComparison.OrdinalIgnoreCase)) query = query with { Status = IncidentStatus.Open };
            else if (status.Equals("resolved", StringComparison.OrdinalIgnoreCase)) query = query with { Status = IncidentStatus.Resolved };
            else return Fail("status must be open or resolved.", out error);
        }
        if (Value(values, "severity") is { } severityText)
        {
            if (!SeverityNames.TryParse(severityText, out var severity))
                return Fail("severity must be low, medium, high or critical.", out error);
            query = query with { Severity = severity };
        }
        if (Value(values, "rule") is { } rule) query = query with { Rule = rule };
        if (Value(values, "since") is { } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
                return Fail("since must be an ISO 8601 time such as 2026-01-01T00:00:00Z.", out error);
            query = query with { Since = since };
        }
        if (Value(values, "offset") is { } offsetText)
        {
            if (!int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                return Fail("offset must be a whole number, 0 or more.", out error);
            query = query with { Offset = offset };
        }
        if (Value(values, "limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
                || limit is < 1 or > MaxLimit)
                return Fail($"limit must be a whole number from 1 to {MaxLimit}.", out error);
            query = query with { Limit = limit };
        }
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }

    private static string? Value(IQueryCollection values, string name) =>
        values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value.ToString()) ? value.ToString().Trim() : null;

    private static IResult Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer)) write(json);
        return Results.Bytes(buffer.WrittenMemory, "application/json; charset=utf-8");
    }
}
