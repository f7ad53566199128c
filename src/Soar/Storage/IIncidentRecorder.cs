using Soar.Events;

namespace Soar.Storage;

/// <summary>Keeps incident changes durably, each with its audit entry, before responders hear of them.</summary>
public interface IIncidentRecorder
{
    void Record(IncidentChange change);
}
