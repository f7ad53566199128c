using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Soar.Enrichment;
using Soar.Enrichment.VirusTotal;

namespace Soar.Tests.Enrichment.VirusTotal;

/// <summary>
/// Soar's real enrichment services (as the composition root registers them) against the fake
/// server, on a fake clock. <see cref="DriveAsync"/> moves the clock on only while the client is
/// waiting for its quota, never during a request, so the server sees the times the client chose.
/// </summary>
public sealed class VirusTotalHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private ServiceProvider _services = null!;

    private VirusTotalHarness(FakeVirusTotalServer server, FakeTimeProvider time, string dataDir)
    {
        Server = server;
        Time = time;
        DataDir = dataDir;
    }

    public FakeVirusTotalServer Server { get; }
    public FakeTimeProvider Time { get; }
    public string DataDir { get; }
    public CapturingLoggerProvider Logs { get; } = new();
    public IThreatIntel Intel => _services.GetRequiredService<IThreatIntel>();
    public VirusTotalEnricher Enricher => _services.GetRequiredService<VirusTotalEnricher>();
    public VirusTotalQuota Quota => _services.GetRequiredService<VirusTotalQuota>();
    public HealthCheckService Health => _services.GetRequiredService<HealthCheckService>();
    public ConcurrentQueue<IntelReport> Ready { get; } = new();

    public static async Task<VirusTotalHarness> StartAsync(string apiKey = FakeVirusTotalServer.ValidKey,
        Dictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(Start);
        var server = await FakeVirusTotalServer.StartAsync(time);
        var harness = new VirusTotalHarness(server, time, Directory.CreateTempSubdirectory("soar-vt-").FullName);
        harness.Build(apiKey, settings);
        return harness;
    }

    /// <summary>A fresh set of services on the same data directory, server and clock: a restart.</summary>
    public async Task RestartAsync(string apiKey = FakeVirusTotalServer.ValidKey)
    {
        await _services.DisposeAsync();
        Build(apiKey, null);
    }

    private void Build(string apiKey, Dictionary<string, string?>? settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["VirusTotal:ApiKey"] = apiKey,
            ["VirusTotal:BaseUrl"] = Server.BaseUrl.ToString(),
            ["VirusTotal:RetryBaseDelay"] = "00:00:00.010",
            ["VirusTotal:MaxRetries"] = "2",
            ["VirusTotal:RequestTimeout"] = "00:00:05",
            ["DataDir"] = DataDir,
        };
        foreach (var (key, value) in settings ?? []) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        _services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<TimeProvider>(Time)
            .AddSoarEnrichment(configuration)
            .BuildServiceProvider();
        Intel.ReportReady += (_, report) => Ready.Enqueue(report);
    }

    /// <summary>Runs until <paramref name="done"/>, advancing the fake clock while the quota holds the client back.</summary>
    public async Task DriveAsync(Func<bool> done, TimeSpan? realLimit = null)
    {
        var limit = DateTime.UtcNow + (realLimit ?? TimeSpan.FromSeconds(30));
        while (!done())
        {
            if (DateTime.UtcNow > limit) throw new TimeoutException("the enrichment did not finish in real time");
            if (Quota.Waiting > 0)
            {
                var delay = Quota.DelayUntilAvailable();
                Time.Advance(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1));
            }
            await Task.Delay(2);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(DataDir, recursive: true);
    }
}

/// <summary>Keeps every log line, formatted, so tests can read what an operator would.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Text)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            provider.Lines.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? "" : " " + exception)));
    }
}
