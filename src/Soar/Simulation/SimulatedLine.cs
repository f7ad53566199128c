namespace Soar.Simulation;

/// <summary>One generated log line and the event time it carries.</summary>
public readonly record struct SimulatedLine(DateTimeOffset Time, string Text);
