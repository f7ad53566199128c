using Soar.Simulation.Output;

namespace Soar.Simulation;

/// <summary>
/// Pacing: as fast as possible (both null), at most <see cref="Rate"/> lines a second, and/or the
/// scenario's own timeline compressed <see cref="Speedup"/> times (1 = real time).
/// </summary>
public sealed record Pacing(double? Rate = null, double? Speedup = null)
{
    public bool Unpaced => Rate is null && Speedup is null;

    /// <summary>
    /// How long before sending starts the first of lines spanning <paramref name="span"/> must be dated for no
    /// line to be dated after it is sent: all of the span when lines go as fast as possible (or at a rate),
    /// less the time the timeline itself takes when it is followed.
    /// </summary>
    public TimeSpan Lead(TimeSpan span) => Speedup is { } x ? span * Math.Max(0, 1 - 1 / x) : span;
}

/// <summary>What a send did.</summary>
public sealed record SendSummary(long Lines, long Sent, long Unsent, int Reconnects, TimeSpan Elapsed, string? LastError)
{
    public double LinesPerSecond => Elapsed > TimeSpan.Zero ? Sent / Elapsed.TotalSeconds : 0;
}

/// <summary>Renders lines and feeds them to a <see cref="LineOutput"/>, paced, reporting progress.</summary>
public sealed class SimulationSender(SyslogRenderer renderer, LineOutput output, TimeProvider clock)
{
    /// <param name="progress">Called now and then with the lines handed over and the time taken.</param>
    public async Task<SendSummary> SendAsync(IReadOnlyList<SimulatedLine> lines, Pacing pacing,
        Action<long, TimeSpan>? progress, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var scratch = new byte[8192];
        var first = lines.Count > 0 ? lines[0].Time : default;
        var done = 0;
        try
        {
            for (; done < lines.Count; done++)
            {
                var line = lines[done];
                if (!pacing.Unpaced)
                {
                    var due = Due(pacing, done, line.Time - first);
                    var ahead = due - clock.GetElapsedTime(started);
                    if (ahead > TimeSpan.FromMilliseconds(2))
                    {
                        // Hand over what is batched before waiting, so the receiver sees it on time.
                        await output.FlushAsync(cancellationToken);
                        progress?.Invoke(done, clock.GetElapsedTime(started));
                        await Task.Delay(ahead, clock, cancellationToken);
                    }
                }
                var length = renderer.Render(line, scratch);
                if (length < 0) // longer than any sshd line: count it, go on
                {
                    output.CountUnsent(1);
                    continue;
                }
                if (!output.TryAppend(line, scratch.AsSpan(0, length)))
                {
                    await output.FlushAsync(cancellationToken);
                    if (output.Broken) break;
                    progress?.Invoke(done, clock.GetElapsedTime(started));
                    output.TryAppend(line, scratch.AsSpan(0, length));
                }
            }
            await output.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted: what was not handed over is reported as unsent below.
        }
        var handedOver = output.Sent + output.Unsent;
        if (handedOver < lines.Count) output.CountUnsent(lines.Count - handedOver);
        var elapsed = clock.GetElapsedTime(started);
        progress?.Invoke(output.Sent, elapsed);
        return new SendSummary(lines.Count, output.Sent, output.Unsent, output.Reconnects, elapsed, output.LastError);
    }

    private static TimeSpan Due(Pacing pacing, int index, TimeSpan offset)
    {
        var due = TimeSpan.Zero;
        if (pacing.Rate is { } rate) due = TimeSpan.FromSeconds(index / rate);
        if (pacing.Speedup is { } speedup && offset / speedup > due) due = offset / speedup;
        return due;
    }
}
