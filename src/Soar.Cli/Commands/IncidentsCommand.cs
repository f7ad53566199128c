using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Soar.Events;
using Soar.Storage;
using Soar.Storage.Sqlite;

namespace Soar.Cli.Commands;

/// <summary><c>soar incidents list|show ID</c>: the incidents in the store of a data directory.</summary>
internal static class IncidentsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var incidents = new Command("incidents", "Incidents in the store: list them, show one with its audit trail.");
        incidents.Subcommands.Add(List(stdout, stderr));
        incidents.Subcommands.Add(Show(stdout, stderr));
        return incidents;
    }

    private static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Data directory of the store (env SOAR_DATA_DIR; default ./data).",
    };

    private static Command List(TextWriter stdout, TextWriter stderr)
    {
        var dataDir = DataDir();
        var status = new Option<string?>("--status") { Description = "open or resolved." };
        status.AcceptOnlyFromAmong("open", "resolved");
        var severity = new Option<string?>("--severity") { Description = "low, medium, high or critical." };
        severity.AcceptOnlyFromAmong("low", "medium", "high", "critical");
        var rule = new Option<string?>("--rule") { Description = "Only incidents with a finding of this rule." };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only incidents active since this time (ISO 8601, e.g. 2026-11-26T14:00:00Z).",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time;
                result.AddError($"--since '{text}' is not a time such as 2026-11-26T14:00:00Z.");
                return null;
            },
        };
        var limit = new Option<int>("--limit") { Description = "At most this many (1-1000).", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1000) result.AddError("--limit must be from 1 to 1000.");
        });
        var offset = new Option<int>("--offset") { Description = "Skip this many (paging)." };
        offset.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0) result.AddError("--offset must not be negative.");
        });
        var json = new Option<bool>("--json") { Description = "JSON lines instead of a table." };
        var command = new Command("list", "List stored incidents, most recently active first.")
        {
            dataDir, status, severity, rule, since, limit, offset, json,
        };
        command.SetAction(parsed =>
        {
            if (!TryOpen(parsed.GetValue(dataDir), stdout, stderr, out var store)) return SoarCommandLine.BadUsage;
            if (store is null) return SoarCommandLine.Success;
            using (store)
            {
                SeverityNames.TryParse(parsed.GetValue(severity), out var level);
                var found = store.List(new IncidentFilter
                {
                    Status = parsed.GetValue(status) switch { "open" => IncidentStatus.Open, "resolved" => IncidentStatus.Resolved, _ => null },
                    Severity = parsed.GetValue(severity) is null ? null : level,
                    Rule = parsed.GetValue(rule),
                    Since = parsed.GetValue(since),
                    Limit = parsed.GetValue(limit),
                    Offset = parsed.GetValue(offset),
                });
                if (parsed.GetValue(json))
                {
                    using var output = new JsonLinesWriter(stdout);
                    foreach (var incident in found) output.Write(incident, JsonOutput.WriteIncident);
                }
                else IncidentTable.Write(stdout, found);
            }
            return SoarCommandLine.Success;
        });
        return command;
    }

    private static Command Show(TextWriter stdout, TextWriter stderr)
    {
        var dataDir = DataDir();
        var id = new Argument<long>("id") { Description = "The incident id." };
        var json = new Option<bool>("--json") { Description = "The incident as JSON (audit trail not included)." };
        var command = new Command("show", "Show one incident and its audit trail.") { id, dataDir, json };
        command.SetAction(parsed =>
        {
            if (!TryOpen(parsed.GetValue(dataDir), stdout, stderr, out var store)) return SoarCommandLine.BadUsage;
            using (store)
            {
                if (store?.Get(parsed.GetValue(id)) is not { } details)
                {
                    stderr.WriteLine($"soar incidents show: no incident {parsed.GetValue(id)}.");
                    return SoarCommandLine.BadUsage;
                }
                if (parsed.GetValue(json))
                {
                    using var output = new JsonLinesWriter(stdout);
                    output.Write(details.Incident, JsonOutput.WriteIncident);
                    return SoarCommandLine.Success;
                }
                Write(stdout, details);
            }
            return SoarCommandLine.Success;
        });
        return command;
    }

    private static void Write(TextWriter stdout, IncidentDetails details)
    {
        var i = details.Incident;
        stdout.WriteLine($"Incident {i.Id}: {i.Key.Field} {UntrustedText.ForDisplay(i.Key.Value)}");
        stdout.WriteLine($"  status     {(i.Status == IncidentStatus.Open ? "open" : "resolved")}");
        stdout.WriteLine($"  severity   {i.Severity.Name()}{(i.RaisedByIntel ? $" (raised by threat intel from {i.DetectedSeverity.Name()}: {i.IntelReason})" : "")}");
        stdout.WriteLine($"  attempts   {i.Attempts}");
        stdout.WriteLine($"  seen       {Time(i.FirstSeen)} to {Time(i.LastSeen)} (UTC)");
        stdout.WriteLine($"  users      {string.Join(", ", i.Users.Take(20).Select(u => UntrustedText.ForDisplay(u, 32)))}{(i.Users.Count > 20 ? $", … ({i.Users.Count})" : "")}");
        stdout.WriteLine($"  hosts      {string.Join(", ", i.Hosts.Select(h => UntrustedText.ForDisplay(h, 32)))}");
        stdout.WriteLine("  findings");
        foreach (var f in i.Findings)
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {f.Rule,-28} {f.Severity.Name(),-8} {f.Count,6}  {Time(f.FirstSeen)} to {Time(f.LastSeen)}  {f.Reason}"));
        stdout.WriteLine("  audit trail (event time, UTC)");
        foreach (var a in details.Audit)
            stdout.WriteLine($"    {Time(a.At)}  {a.Change,-15}  {a.Severity.Name(),-8}  {a.Detail}");
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The store of the data directory; null (after saying so) when there is no database there yet.</summary>
    private static bool TryOpen(string? option, TextWriter stdout, TextWriter stderr, out IncidentStore? store)
    {
        store = null;
        var options = new SoarDatabaseOptions
        {
            DataDir = option ?? (Environment.GetEnvironmentVariable("SOAR_DATA_DIR") is { Length: > 0 } env ? env : "data"),
        };
        if (!File.Exists(options.DatabasePath))
        {
            stdout.WriteLine($"No incidents (no database at {options.DatabasePath}).");
            return true;
        }
        try
        {
            store = new IncidentStore(new SoarDatabase(options, IncidentStore.Migrations), [], TimeProvider.System);
            return true;
        }
        catch (SqliteException e)
        {
            stderr.WriteLine($"soar incidents: cannot read {options.DatabasePath}: {e.Message}");
            return false;
        }
    }
}
