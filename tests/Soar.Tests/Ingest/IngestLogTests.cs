using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Soar.Ingest;
using Soar.Pipeline;

namespace Soar.Tests.Ingest;

public sealed class IngestLogTests
{
    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => Lines.Add(formatter(state, exception));
    }

    [Fact]
    public void AFloodOfWarningsIsCountedInFullButLoggedTenAMinuteWithTheRestSummarised()
    {
        var logger = new ListLogger();
        var metrics = new PipelineMetrics();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 16, 0, 0, TimeSpan.Zero));
        var log = new IngestLog(logger, metrics, clock);

        for (var i = 0; i < 1000; i++) log.Oversize("203.0.113.9:4000", 65536);
        Assert.Equal(1000, metrics.MessagesDropped);
        Assert.Equal(IngestLog.WarningsPerMinute, logger.Lines.Count);

        clock.Advance(TimeSpan.FromMinutes(1));
        log.FramingError("203.0.113.9:4000");
        Assert.Equal(1, metrics.FramingErrors);
        Assert.Contains(logger.Lines, l => l.StartsWith("990 more ingest warnings", StringComparison.Ordinal));
        Assert.StartsWith("Framing error from 203.0.113.9:4000", logger.Lines[^1], StringComparison.Ordinal);
    }
}
