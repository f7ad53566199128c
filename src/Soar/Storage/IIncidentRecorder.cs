using Soar.Events;

namespace Soar.Storage;

/// <summary>Keeps incident changes durably (with the audit entry of a lifecycle step, and the outbox rows), before responders hear of them.</summary>
public interface IIncidentRecorder
{
    void Record(IncidentChange change);
}
