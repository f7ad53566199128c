using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Soar.Cli.Commands;

namespace Soar.Cli;

/// <summary>The <c>soar</c> verbs. Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.</summary>
public static partial class SoarCommandLine
{
    public const int Success = 0;
    public const int RuntimeFailure = 1;
    public const int BadUsage = 2;

    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "Soar: detects SSH brute force and its relatives in sshd logs, enriches the attackers and tells your team.")
        {
            RunCommand.Create(stderr),
            DemoCommand.Create(stdout, stderr),
            SimulateCommand.Create(stdout, stderr),
            ParseCommand.Create(stdout, stderr),
            ReplayCommand.Create(stdout, stderr),
            RulesCommand.Create(stdout, stderr),
            IncidentsCommand.Create(stdout, stderr),
        };
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = Build(stdout, stderr).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One error, on one line: an unknown word says more than the "required command" error it also causes.
            var error = parsed.Errors.FirstOrDefault(e => parsed.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)))
                        ?? parsed.Errors[0];
            var verb = CommandPath(parsed.CommandResult);
            var message = string.Join(' ', error.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            await stderr.WriteLineAsync($"{verb}: {ExpectedType().Replace(message, m => "as " + Plain(m.Groups["type"].Value))}");
            await stderr.WriteLineAsync($"Try '{verb} --help'.");
            return BadUsage;
        }
        var configuration = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // Verbs handle Ctrl+C themselves (the run host drains before it exits).
            ProcessTerminationTimeout = null,
        };
        return await parsed.InvokeAsync(configuration);
    }

    // "Cannot parse argument 'x' for option '--seed' as expected type 'System.Nullable`1[System.Int32]'".
    [GeneratedRegex(@"as expected type 'System\.(?:Nullable`1\[System\.)?(?<type>\w+)\]?'")]
    private static partial Regex ExpectedType();

    private static string Plain(string type) => type switch
    {
        "Int32" or "Int64" => "a whole number",
        "Double" or "Decimal" => "a number",
        "DateTimeOffset" or "DateTime" => "a time such as 2026-11-26T14:00:00Z",
        "TimeSpan" => "a duration such as 00:05:00",
        _ => type,
    };

    /// <summary>"soar rules export" for the command the arguments reached.</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (var result = command; result is { Command: not RootCommand }; result = result.Parent as CommandResult)
            names.Insert(0, result.Command.Name);
        return string.Join(' ', names.Prepend("soar"));
    }
}
