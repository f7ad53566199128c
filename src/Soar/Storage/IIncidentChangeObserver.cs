using Soar.Events;

namespace Soar.Storage;

/// <summary>Hears of every incident change once the store has committed it, whoever made it (detection, a
/// Splunk alert, threat intel raising the severity). Called on the recording thread: be quick, never throw.</summary>
public interface IIncidentChangeObserver
{
    void OnRecorded(IncidentChange change);
}
