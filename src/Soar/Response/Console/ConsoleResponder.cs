using Soar.Events;

namespace Soar.Response.Console;

/// <summary>
/// Prints a card when an incident opens or escalates; quieter updates are not printed.
/// Colour only on a terminal, and never when NO_COLOR is set.
/// </summary>
public sealed class ConsoleResponder(TextWriter output, bool colour) : IResponder
{
    private readonly Lock _gate = new();

    public string Name => "console";

    public static bool TerminalSupportsColour() =>
        !System.Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") is not "dumb";

    public ValueTask RespondAsync(IncidentChange change, CancellationToken cancellationToken)
    {
        if (change.Kind is IncidentChangeKind.Opened or IncidentChangeKind.Escalated)
        {
            var card = ConsoleCard.Format(change, colour);
            lock (_gate) output.Write(card);
        }
        return ValueTask.CompletedTask;
    }
}
