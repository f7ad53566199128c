using Soar.Events;

namespace Soar.Response;

/// <summary>Something that tells people about incident changes: the console, Discord, a file, …</summary>
public interface IResponder
{
    string Name { get; }
    ValueTask RespondAsync(IncidentChange change, CancellationToken cancellationToken);
}
