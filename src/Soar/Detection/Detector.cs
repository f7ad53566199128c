using Soar.Events;

namespace Soar.Detection;

/// <summary>Runs the rules over each event and keeps the incidents: detection as one stage.</summary>
public sealed class Detector(BruteForceRule bruteForce, IncidentTracker incidents)
{
    public IEnumerable<Incident> Incidents => incidents.Incidents;

    /// <summary>Feeds one event; adds the incident changes it caused, in order, to <paramref name="changes"/>.
    /// The tracker sees the event before the rules, so the event that opens an incident is counted once.</summary>
    public void Observe(AuthEvent authEvent, List<IncidentChange> changes)
    {
        if (incidents.Observe(authEvent) is { } update) changes.Add(update);
        if (bruteForce.Observe(authEvent) is { } match) changes.Add(incidents.Apply(match));
    }

    /// <summary>A match made elsewhere (a Splunk alert) joins the incidents like a local one.</summary>
    public IncidentChange Apply(RuleMatch match) => incidents.Apply(match);
}
