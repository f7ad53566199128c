using System.CommandLine;

namespace Soar.Cli.Commands;

internal static class SimulateCommand
{
    public static Command Create(TextWriter stderr)
    {
        var command = new Command("simulate",
            "Generate authentic sshd attack logs and send them over TCP/UDP or write them to a file. (Not available yet: issue #8.)");
        command.SetAction(_ =>
        {
            stderr.WriteLine("soar: 'simulate' is not available yet; it is planned in issue #8. 'soar demo' runs a simulated attack.");
            return SoarCommandLine.BadUsage;
        });
        return command;
    }
}
