using Soar.Events;
using Soar.Storage.Sqlite;

namespace Soar.Response.Outbox;

/// <summary>
/// Until the SQLite incident store records changes (and calls the participants in its own
/// transaction), this stands in for it: the pipeline's incident changes are committed to the
/// outbox, one transaction per change, through every <see cref="IIncidentTransactionParticipant"/>.
/// Remove it from the composition root once the store calls the participants.
/// </summary>
public sealed class OutboxChangeRecorder(
    IEnumerable<IIncidentTransactionParticipant> participants,
    OutboxSignal signal,
    OutboxConnection shared) : IResponder
{
    private readonly IReadOnlyList<IIncidentTransactionParticipant> _participants = participants.ToList();

    public string Name => "outbox";

    public ValueTask RespondAsync(IncidentChange change, CancellationToken cancellationToken)
    {
        using (shared.Enter(out var connection))
        {
            using var transaction = connection.BeginTransaction();
            foreach (var participant in _participants) participant.OnIncidentChange(connection, transaction, change);
            transaction.Commit();
        }
        signal.Notify();
        return ValueTask.CompletedTask;
    }
}
