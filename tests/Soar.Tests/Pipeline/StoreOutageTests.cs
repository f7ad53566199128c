using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Soar.Detection;
using Soar.Events;
using Soar.Pipeline;
using Soar.Response;
using Soar.Storage;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Pipeline;

/// <summary>A store that fails for a while: the change waits for it, and is neither lost nor spun on.</summary>
public class StoreOutageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AChangeTheStoreRefusesIsRetriedWithBackoffUntilItIsStoredThenNotifiedOnce()
    {
        var clock = new FakeTimeProvider(Now);
        var store = new FlakyRecorder(failures: 3);
        var logs = new CapturingLoggerProvider();
        var responder = new SoarTestHost.RecordingResponder();
        using var dataDir = new TempDataDir();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:Tcp:Listen"] = "off",
            ["DataDir"] = dataDir.Path,
        }).Build();
        await using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<IResponder>(responder)
            .AddLogging(l => l.AddProvider(logs))
            .AddSoarPipeline(configuration, TextWriter.Null)
            .AddSingleton<IIncidentRecorder>(store) // after the pipeline's store: the last registration wins
            .BuildServiceProvider();
        var pipeline = services.GetRequiredService<SoarPipeline>();
        pipeline.Start();

        await pipeline.SubmitAlertAsync(new RuleMatch("splunk-ssh", "Splunk alert", Severity.High,
            IncidentKey.SourceIp("203.0.113.7"), 20, Now, Now, ["root"], ["web01"], "Splunk alert"), CancellationToken.None);
        await WaitUntil(() => store.Calls == 1);

        // No spinning: without time passing, nothing is tried again, and nobody has heard of the change.
        await Task.Delay(200);
        Assert.Equal(1, store.Calls);
        Assert.Empty(responder.All);

        // The waits grow: 100 ms, 200 ms, 400 ms.
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntil(() => store.Calls == 2);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await Task.Delay(100);
        Assert.Equal(2, store.Calls);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntil(() => store.Calls == 3);
        clock.Advance(TimeSpan.FromMilliseconds(400));
        await WaitUntil(() => responder.All.Count == 1);

        Assert.Equal(4, store.Calls);
        var stored = Assert.Single(store.Recorded);
        Assert.Equal(IncidentChangeKind.Opened, stored.Kind);
        Assert.Equal(stored, Assert.Single(responder.All));
        Assert.Equal(3, services.GetRequiredService<PipelineMetrics>().StoreFailures);
        // One error for the outage (not one per try), and one line when it is over.
        Assert.Single(logs.Messages, m => m.StartsWith("Error") && m.Contains("could not be stored"));
        Assert.Single(logs.Messages, m => m.Contains("stored again after 3 failed tries"));
        await pipeline.StopAsync();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.True(condition());
    }

    /// <summary>Throws like a full disk for the first <paramref name="failures"/> calls, then records.</summary>
    private sealed class FlakyRecorder(int failures) : IIncidentRecorder
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);
        public List<IncidentChange> Recorded { get; } = [];

        public void Record(IncidentChange change)
        {
            if (Interlocked.Increment(ref _calls) <= failures) throw new IOException("disk full");
            Recorded.Add(change);
        }
    }
}
