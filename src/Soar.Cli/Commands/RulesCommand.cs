using System.CommandLine;
using System.Globalization;
using Soar.Detection.Rules;
using Soar.Events;

namespace Soar.Cli.Commands;

/// <summary><c>soar rules list|test|export</c>: the detection rules, their annotated samples, Splunk saved searches.</summary>
internal static class RulesCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var rules = new Command("rules", "Detection rules: list them, run their annotated samples, export them to Splunk.");
        rules.Subcommands.Add(List(stdout, stderr));
        rules.Subcommands.Add(Test(stdout, stderr));
        rules.Subcommands.Add(Export(stdout, stderr));
        return rules;
    }

    private static Command List(TextWriter stdout, TextWriter stderr)
    {
        var dir = CommonOptions.RulesDirectory();
        var command = new Command("list", "List the detection rules and their conditions.") { dir };
        command.SetAction(parsed =>
        {
            if (!TryLoad("list", parsed.GetValue(dir), stderr, out var loaded)) return SoarCommandLine.BadUsage;
            stdout.WriteLine($"{"RULE",-28}  {"KIND",-9}  {"SEVERITY",-8}  CONDITION");
            foreach (var r in loaded.OrderBy(r => r.Id, StringComparer.Ordinal))
                stdout.WriteLine($"{r.Id,-28}  {r.Kind.ToString().ToLowerInvariant(),-9}  {r.Severity.Name(),-8}  {r.Condition}");
            stdout.WriteLine();
            stdout.WriteLine($"{loaded.Count} rules from {(parsed.GetValue(dir) is { } d ? d : "the built-in defaults")}.");
            return SoarCommandLine.Success;
        });
        return command;
    }

    private static Command Test(TextWriter stdout, TextWriter stderr)
    {
        var dir = CommonOptions.RulesDirectory();
        var command = new Command("test",
            "Run every rule's annotated sample logs (rules/tests/*.log): each '# expect:' must fire, each '# expect-none:' must not.")
        {
            dir,
        };
        command.SetAction(parsed =>
        {
            var directory = ResolveDirectory(parsed.GetValue(dir));
            if (!TryLoad("test", directory, stderr, out var loaded)) return SoarCommandLine.BadUsage;
            var report = RuleSamples.Run(loaded, RuleLoader.LoadSamples(directory));
            foreach (var outcome in report.Outcomes)
                stdout.WriteLine($"{(outcome.Passed ? "ok  " : "FAIL")}  {outcome.Case}{(outcome.Passed ? "" : ": " + outcome.Message)}");
            foreach (var problem in report.Problems) stdout.WriteLine($"FAIL  {problem}");
            var failed = report.Outcomes.Count(o => !o.Passed) + report.Problems.Count;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soar rules test: {report.Outcomes.Count} cases, {report.Outcomes.Count(o => o.Passed)} passed, {failed} failed"));
            return report.Passed ? SoarCommandLine.Success : SoarCommandLine.RuntimeFailure;
        });
        return command;
    }

    private static Command Export(TextWriter stdout, TextWriter stderr)
    {
        var dir = CommonOptions.RulesDirectory();
        var format = new Option<string>("--format") { Description = "Output format: splunk (savedsearches.conf).", Required = true };
        format.AcceptOnlyFromAmong("splunk");
        var url = new Option<string>("--webhook-url")
        {
            Description = "Where Splunk posts alerts: Soar's POST /webhooks/splunk/{token}.",
            DefaultValueFactory = _ => SplunkSavedSearches.DefaultWebhookUrl,
        };
        var search = new Option<string>("--base-search")
        {
            Description = "The SPL that selects sshd events.",
            DefaultValueFactory = _ => SplunkSavedSearches.DefaultBaseSearch,
        };
        var command = new Command("export", "Export the rules as Splunk saved searches (savedsearches.conf) on stdout.")
        {
            dir, format, url, search,
        };
        command.SetAction(parsed =>
        {
            if (!TryLoad("export", parsed.GetValue(dir), stderr, out var loaded)) return SoarCommandLine.BadUsage;
            stdout.Write(SplunkSavedSearches.Export(loaded, parsed.GetValue(url)!, parsed.GetValue(search)!));
            return SoarCommandLine.Success;
        });
        return command;
    }

    private static string? ResolveDirectory(string? option) => option ?? Environment.GetEnvironmentVariable("SOAR_RULES_DIR");

    private static bool TryLoad(string verb, string? directory, TextWriter stderr, out IReadOnlyList<RuleDefinition> rules)
    {
        try
        {
            rules = RuleLoader.Load(ResolveDirectory(directory));
            return true;
        }
        catch (RuleLoadException e)
        {
            stderr.WriteLine($"soar rules {verb}: bad rule: {e.Message}");
            rules = [];
            return false;
        }
    }
}
