namespace Soar.Simulation;

/// <summary>A generated run: its lines in time order and, per scenario, the actors it used.</summary>
public sealed class SimulationRun(SimulatedLine[] lines, IReadOnlyList<ScenarioRun> scenarios, DateTimeOffset start)
{
    public SimulatedLine[] Lines { get; } = lines;
    public IReadOnlyList<ScenarioRun> Scenarios { get; } = scenarios;
    public DateTimeOffset Start { get; private set; } = start;

    /// <summary>Moves every line (in place: a bench run holds a million) by <paramref name="offset"/>.</summary>
    public void MoveBy(TimeSpan offset)
    {
        for (var i = 0; i < Lines.Length; i++) Lines[i] = Lines[i] with { Time = Lines[i].Time + offset };
        Start += offset;
    }
}

/// <summary>One scenario of a run: what was asked for and the addresses and users it used.</summary>
public sealed class ScenarioRun(ScenarioSpec spec)
{
    public ScenarioSpec Spec { get; } = spec;
    public List<string> Addresses { get; } = [];
    public SortedSet<string> Users { get; } = new(StringComparer.Ordinal);
}
