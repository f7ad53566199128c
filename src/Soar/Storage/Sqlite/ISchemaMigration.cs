namespace Soar.Storage.Sqlite;

/// <summary>
/// One step of the database schema. Each component that keeps state (incidents, outbox,
/// threat-intelligence cache) registers its own migrations; <see cref="SoarDatabase"/> applies
/// those not yet applied, in order of <see cref="Id"/>, once, at start-up.
/// </summary>
public interface ISchemaMigration
{
    /// <summary>Unique and sortable, e.g. "0100-incidents". Never change one that has shipped.</summary>
    string Id { get; }

    string Sql { get; }
}
