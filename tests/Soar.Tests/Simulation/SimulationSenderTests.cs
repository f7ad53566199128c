using Microsoft.Extensions.Time.Testing;
using Soar.Simulation;
using Soar.Simulation.Output;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Simulation;

public class SimulationSenderTests
{
    /// <summary>Notes when (on the fake clock) each line was handed over.</summary>
    private sealed class RecordingOutput(TimeProvider clock, DateTimeOffset origin) : LineOutput
    {
        public List<TimeSpan> HandedOver { get; } = [];

        public override bool TryAppend(in SimulatedLine line, ReadOnlySpan<byte> rendered)
        {
            HandedOver.Add(clock.GetUtcNow() - origin);
            Sent++;
            return true;
        }

        public override ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private static SimulatedLine[] TenSecondsApart(int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
            new SimulatedLine(Lines.Now.AddSeconds(10 * i), 100 + i, LineForm.FailedPassword, "root", "203.0.113.7", 40000, 0, 0))];

    [Theory]
    [InlineData(null, null, 3600)]   // as fast as possible: all of it in the past
    [InlineData(1000.0, null, 3600)] // a rate does not follow the timeline
    [InlineData(null, 1.0, 0)]       // real time: each line goes out when it is dated
    [InlineData(null, 60.0, 3540)]   // an hour in a minute: the first line 59 minutes back
    [InlineData(null, 0.5, 0)]       // slower than real time: never ahead
    public void TheLeadDatesTheFirstLineEarlyEnoughThatNoLineIsSentBeforeItsTime(double? rate, double? speedup, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), new Pacing(rate, speedup).Lead(TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task LinesLedAsPacingSaysAreNeverDatedAfterTheyAreSent()
    {
        var lines = TenSecondsApart(10);
        var pacing = new Pacing(Speedup: 10);
        var start = Lines.Now - pacing.Lead(lines[^1].Time - lines[0].Time);
        var sent = await SendOnAFakeClock(pacing, 10);

        for (var i = 0; i < lines.Length; i++)
            Assert.True(start + (lines[i].Time - lines[0].Time) <= Lines.Now + sent[i], $"line {i}");
    }

    private static async Task<List<TimeSpan>> SendOnAFakeClock(Pacing pacing, int lines)
    {
        var clock = new FakeTimeProvider(Lines.Now);
        var output = new RecordingOutput(clock, clock.GetUtcNow());
        var renderer = new SyslogRenderer(SyslogFormat.Rfc3164, "web-01", TimeZoneInfo.Utc, priority: true);
        var sending = new SimulationSender(renderer, output, clock).SendAsync(TenSecondsApart(lines), pacing, null, CancellationToken.None);
        for (var step = 0; step < 2_000 && !sending.IsCompleted; step++)
        {
            await Task.Delay(1);
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }
        var summary = await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(lines, summary.Sent);
        return output.HandedOver;
    }

    [Fact]
    public async Task SpeedupFollowsTheScenariosTimelineCompressed()
    {
        // Lines 10 s apart at a speed-up of 10: one a second.
        var times = await SendOnAFakeClock(new Pacing(Speedup: 10), 5);
        for (var i = 0; i < 5; i++) Assert.InRange(times[i].TotalSeconds, i, i + 0.25);
    }

    [Fact]
    public async Task RateCapsLinesPerSecond()
    {
        var times = await SendOnAFakeClock(new Pacing(Rate: 4), 6);
        for (var i = 0; i < 6; i++) Assert.InRange(times[i].TotalSeconds, i / 4.0, i / 4.0 + 0.25);
    }

    [Fact]
    public async Task UnpacedSendsWithoutWaiting()
    {
        var clock = new FakeTimeProvider(Lines.Now);
        var output = new RecordingOutput(clock, clock.GetUtcNow());
        var renderer = new SyslogRenderer(SyslogFormat.Rfc3164, "web-01", TimeZoneInfo.Utc, priority: true);
        var summary = await new SimulationSender(renderer, output, clock).SendAsync(TenSecondsApart(100), new Pacing(), null, CancellationToken.None);
        Assert.Equal(100, summary.Sent);
        Assert.All(output.HandedOver, t => Assert.Equal(TimeSpan.Zero, t));
    }

    [Fact]
    public async Task AnInterruptedSendCountsWhatItDidNotSendAsUnsent()
    {
        var clock = new FakeTimeProvider(Lines.Now);
        var output = new RecordingOutput(clock, clock.GetUtcNow());
        var renderer = new SyslogRenderer(SyslogFormat.Rfc3164, "web-01", TimeZoneInfo.Utc, priority: true);
        using var cancel = new CancellationTokenSource();
        var sending = new SimulationSender(renderer, output, clock).SendAsync(TenSecondsApart(10), new Pacing(Speedup: 1), null, cancel.Token);
        clock.Advance(TimeSpan.FromSeconds(25)); // lines at 0, 10, 20 s are due
        await Task.Delay(50);
        await cancel.CancelAsync();
        var summary = await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(10, summary.Sent + summary.Unsent);
        Assert.InRange(summary.Sent, 1, 3);
    }
}
