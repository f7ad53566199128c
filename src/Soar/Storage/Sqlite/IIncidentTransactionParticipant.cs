using Microsoft.Data.Sqlite;
using Soar.Events;

namespace Soar.Storage.Sqlite;

/// <summary>
/// Writes its own rows in the same transaction as an incident change: the outbox does, so that
/// a notification exists if and only if the incident change that caused it was committed.
/// </summary>
public interface IIncidentTransactionParticipant
{
    void OnIncidentChange(SqliteConnection connection, SqliteTransaction transaction, IncidentChange change);
}
