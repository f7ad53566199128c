using System.CommandLine;

namespace Soar.Cli.Commands;

/// <summary>Verbs whose contract is fixed in DESIGN.md but whose implementation is still to come.</summary>
internal static class PlannedCommands
{
    public static Command Rules(TextWriter stderr)
    {
        var rules = new Command("rules", "Detection rules: list them, run their annotated samples, export them to Splunk.");
        rules.Subcommands.Add(Planned("list", "List the detection rules and their thresholds.", "4", stderr));
        rules.Subcommands.Add(Planned("test", "Run every rule's annotated sample logs.", "4", stderr));
        var export = Planned("export", "Export the rules, e.g. as Splunk saved searches.", "4", stderr);
        export.Options.Add(new Option<string>("--format") { Description = "Output format: splunk." });
        rules.Subcommands.Add(export);
        return rules;
    }

    public static Command Incidents(TextWriter stderr)
    {
        var incidents = new Command("incidents", "Incidents in the store: list them, show one with its audit trail.");
        incidents.Subcommands.Add(Planned("list", "List stored incidents.", "4", stderr));
        var show = Planned("show", "Show one incident and its audit trail.", "4", stderr);
        show.Arguments.Add(new Argument<long>("id") { Description = "The incident id." });
        incidents.Subcommands.Add(show);
        return incidents;
    }

    private static Command Planned(string name, string description, string issue, TextWriter stderr)
    {
        var command = new Command(name, $"{description} (Not available yet: issue #{issue}.)");
        command.SetAction(_ =>
        {
            stderr.WriteLine($"soar: '{name}' is not available yet; it is planned in issue #{issue}.");
            return SoarCommandLine.BadUsage;
        });
        return command;
    }
}
