namespace Soar.Simulation;

/// <summary>A generated run: its lines in time order and, per scenario, the actors it used.</summary>
public sealed class SimulationRun(SimulatedLine[] lines, IReadOnlyList<ScenarioRun> scenarios, DateTimeOffset start)
{
    public SimulatedLine[] Lines { get; } = lines;
    public IReadOnlyList<ScenarioRun> Scenarios { get; } = scenarios;
    public DateTimeOffset Start { get; } = start;
}

/// <summary>One scenario of a run: what was asked for and the addresses and users it used.</summary>
public sealed class ScenarioRun(ScenarioSpec spec)
{
    public ScenarioSpec Spec { get; } = spec;
    public List<string> Addresses { get; } = [];
    public SortedSet<string> Users { get; } = new(StringComparer.Ordinal);
}
