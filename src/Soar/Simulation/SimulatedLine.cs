namespace Soar.Simulation;

/// <summary>
/// One generated log line, kept as data (its form and fields) rather than text, so that a million
/// of them fit in memory, sort by time, and render straight to bytes in any syslog format.
/// <see cref="User"/>, <see cref="Address"/> are shared strings; <see cref="Number"/> is the count,
/// uid or session number a form needs. <see cref="Scenario"/> indexes the run's scenarios.
/// </summary>
public readonly record struct SimulatedLine(
    DateTimeOffset Time,
    int Pid,
    LineForm Form,
    string? User,
    string? Address,
    int Port,
    int Number,
    short Scenario)
{
    /// <summary>The message after "sshd[pid]: ", as text (tests and small outputs; the fast path renders bytes).</summary>
    public string Message => SshdMessages.ToText(this);

    public string Program => SshdMessages.Program(Form);
}
