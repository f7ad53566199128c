using System.CommandLine;
using Soar.Cli.Commands;

namespace Soar.Cli;

/// <summary>The <c>soar</c> verbs. Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.</summary>
public static class SoarCommandLine
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
            foreach (var error in parsed.Errors) await stderr.WriteLineAsync($"soar: {error.Message}");
            await stderr.WriteLineAsync("Try 'soar --help'.");
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
}
