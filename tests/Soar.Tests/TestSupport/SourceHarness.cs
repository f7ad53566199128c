using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Soar.Ingest;
using Soar.Pipeline;

namespace Soar.Tests.TestSupport;

/// <summary>Runs one message source into a channel and collects what it hands on.</summary>
public sealed class SourceHarness : IAsyncDisposable
{
    private readonly Channel<RawMessage> _channel = Channel.CreateUnbounded<RawMessage>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _received = [];
    private readonly Task _collector;

    public SourceHarness(IMessageSource source)
    {
        Source = source;
        Run = Task.Run(() => source.RunAsync(_channel.Writer, _stop.Token));
        _collector = Task.Run(async () =>
        {
            await foreach (var message in _channel.Reader.ReadAllAsync())
                lock (_received) _received.Add(message.Text);
        });
    }

    public static PipelineMetrics NewMetrics() => new();

    public static NullLogger<T> Logger<T>() => NullLogger<T>.Instance;

    public IMessageSource Source { get; }

    public Task Run { get; }

    public IReadOnlyList<string> Received
    {
        get { lock (_received) return _received.ToList(); }
    }

    /// <summary>Waits (up to 10 s) until <paramref name="condition"/> holds, then returns what was received.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting for " + what);
            await Task.Delay(10);
        }
    }

    public Task UntilReceived(int count) => Until(() => Received.Count >= count, $"{count} messages (got {Received.Count})");

    /// <summary>Stops the source and waits for it; returns its task's exception, if any.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(10));
        _channel.Writer.TryComplete();
        await _collector;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            try { await StopAsync(); } catch (Exception) { /* the test has its verdict already */ }
        }
        _stop.Dispose();
    }
}
