using Soar.Events;
using Soar.Response.Outbox;

namespace Soar.Response.Console;

/// <summary>
/// Prints a card when an incident opens or escalates, with the severity and threat intel known at
/// delivery; quieter updates are not printed. Colour only on a terminal, and never when NO_COLOR is set.
/// </summary>
public sealed class ConsoleResponder(TextWriter output, bool colour) : IOutboxResponder
{
    private readonly Lock _gate = new();

    public string Name => "console";

    public static bool TerminalSupportsColour() =>
        !System.Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") is not "dumb";

    public bool Accepts(IncidentChangeKind kind) => kind is IncidentChangeKind.Opened or IncidentChangeKind.Escalated;

    public Task<DeliveryResult> DeliverAsync(Notification notification, CancellationToken cancellationToken)
    {
        var card = ConsoleCard.Format(notification.Change, colour, notification.Intel, notification.Assessment);
        lock (_gate) output.Write(card);
        return Task.FromResult(DeliveryResult.Delivered);
    }
}
