using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Soar.Api;
using Soar.Events;
using Soar.Pipeline;
using Soar.Response;
using Soar.Storage.Sqlite;

namespace Soar.Tests.TestSupport;

/// <summary>
/// The real service (pipeline and HTTP API on Kestrel) on free loopback ports, with every log
/// message captured at Trace level, a recording responder and a fake clock.
/// </summary>
public sealed class SoarTestHost : IAsyncDisposable
{
    public const string Token = "s3cret-Token_0123456789abcdef";

    private readonly TempDataDir _dataDir;

    private SoarTestHost(WebApplication app, CapturingLoggerProvider logs, RecordingResponder changes, FakeTimeProvider time,
        StringWriter console, TempDataDir dataDir)
    {
        _dataDir = dataDir;
        Console = console;
        App = app;
        Logs = logs;
        Changes = changes;
        Time = time;
        Client = new HttpClient { BaseAddress = new Uri(SoarHttpHost.ListeningAddresses(app).Single()) };
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public CapturingLoggerProvider Logs { get; }
    public RecordingResponder Changes { get; }
    public FakeTimeProvider Time { get; }
    /// <summary>What the console responder printed (the incident cards).</summary>
    public StringWriter Console { get; }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>The data directory (a temporary one): the SQLite database with incidents and the outbox.</summary>
    public string DataDir => _dataDir.Path;

    public static async Task<SoarTestHost> StartAsync(string? token = Token, Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var dataDir = new TempDataDir();
        var values = new Dictionary<string, string?>
        {
            ["DataDir"] = dataDir.Path,
            ["Http:Listen"] = "127.0.0.1:0",
            ["Ingest:Tcp:Listen"] = "127.0.0.1:0",
            ["Syslog:TimeZone"] = "UTC",
            ["Splunk:WebhookToken"] = token,
        };
        foreach (var (key, value) in settings ?? []) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var logs = new CapturingLoggerProvider();
        var console = new StringWriter();
        var changes = new RecordingResponder();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 10, 0, TimeSpan.Zero));
        WebApplication app;
        try
        {
            app = SoarHttpHost.Build(configuration,
                logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs),
                console,
                services =>
                {
                    services.AddSingleton<TimeProvider>(time);
                    services.AddSingleton<IResponder>(changes);
                    configure?.Invoke(services);
                });
            await app.StartAsync();
        }
        catch
        {
            dataDir.Dispose();
            throw;
        }
        return new SoarTestHost(app, logs, changes, time, console, dataDir);
    }

    /// <summary>Waits until the responders have heard of <paramref name="count"/> changes.</summary>
    public async Task<IReadOnlyList<IncidentChange>> WaitForChangesAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Changes.All.Count < count && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(count, Changes.All.Count);
        return Changes.All;
    }

    /// <summary>Waits until the console responder (delivered through the outbox, so later) has printed <paramref name="text"/>.</summary>
    public async Task WaitForConsoleAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Console.ToString().Contains(text) && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Contains(text, Console.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _dataDir.Dispose();
    }

    /// <summary>Records every incident change the pipeline hands its responders.</summary>
    public sealed class RecordingResponder : IResponder
    {
        private readonly ConcurrentQueue<IncidentChange> _changes = new();

        public string Name => "recording";

        public IReadOnlyList<IncidentChange> All => [.. _changes];

        public ValueTask RespondAsync(IncidentChange change, CancellationToken cancellationToken)
        {
            _changes.Enqueue(change);
            return ValueTask.CompletedTask;
        }
    }
}
