using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Soar.Events;
using Soar.Response;
using Soar.Response.Outbox;
using Soar.Storage;

namespace Soar.Tests.Response;

/// <summary>
/// The response stage as the pipeline wires it (composition root, real SQLite file in a temp data
/// directory, real dispatcher), with incident changes handed in directly.
/// </summary>
public sealed class ResponseHarness : IAsyncDisposable
{
    private readonly DirectoryInfo _dataDir;
    private bool _started;

    private ResponseHarness(DirectoryInfo dataDir, ServiceProvider services, StringWriter console, CapturedLogs logs)
    {
        _dataDir = dataDir;
        Services = services;
        Console = console;
        Logs = logs;
    }

    public ServiceProvider Services { get; }
    public StringWriter Console { get; }
    public CapturedLogs Logs { get; }
    public string DataDir => _dataDir.FullName;
    public OutboxStore Store => Services.GetRequiredService<OutboxStore>();
    public OutboxDispatcher Dispatcher => Services.GetRequiredService<OutboxDispatcher>();
    public ResponderHealth Health => Services.GetRequiredService<ResponderHealth>();

    /// <summary>Fast retries by default, so that tests of outages take milliseconds.</summary>
    public static ResponseHarness Create(Dictionary<string, string?> settings, string? dataDir = null,
        Action<IServiceCollection>? configure = null)
    {
        var directory = dataDir is null ? Directory.CreateTempSubdirectory("soar-response-") : new DirectoryInfo(dataDir);
        var values = new Dictionary<string, string?>
        {
            ["DataDir"] = directory.FullName,
            ["Response:InitialBackoff"] = "00:00:00.050",
            ["Response:MaxBackoff"] = "00:00:00.200",
            ["Response:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var console = new StringWriter();
        var logs = new CapturedLogs();
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSingleton(TimeProvider.System);
        configure?.Invoke(services);
        try
        {
            services.AddSoarResponse(configuration, console, colour: false);
        }
        catch (ArgumentException)
        {
            if (dataDir is null) directory.Delete(recursive: true); // the test expected bad configuration
            throw;
        }
        return new ResponseHarness(directory, services.BuildServiceProvider(), console, logs);
    }

    public void Start()
    {
        Dispatcher.Start();
        _started = true;
    }

    /// <summary>Records the change in the incident store, which commits its outbox rows, as the pipeline does.</summary>
    public Task RecordAsync(IncidentChange change)
    {
        Services.GetRequiredService<IIncidentRecorder>().Record(change);
        return Task.CompletedTask;
    }

    public async Task WaitForStateAsync(Func<IReadOnlyList<OutboxRow>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition(Store.All()))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("Outbox rows: " + string.Join(", ", Store.All().Select(r => $"{r.Id}:{r.Responder}:{r.State}:{r.LastError}")));
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_started) await Dispatcher.StopAsync();
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _dataDir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Every log line, formatted, with its exception: to assert what logs say and never say.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Text)> Entries { get; } = new();

    public string All => string.Join("\n", Entries.Select(e => $"{e.Level} {e.Category}: {e.Text}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, category, formatter(state, exception) + (exception is null ? "" : "\n" + exception)));
    }
}

public static class TestIncidents
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 15, 0, 0, TimeSpan.Zero);

    public static Incident Make(long id = 1, string ip = "203.0.113.9", Severity severity = Severity.High,
        IReadOnlyList<string>? users = null, IReadOnlyList<string>? hosts = null, int attempts = 27,
        IncidentKey? key = null, string rule = "ssh-brute-force", string title = "SSH brute force",
        IncidentStatus status = IncidentStatus.Open, IReadOnlyList<Finding>? findings = null) => new()
    {
        Id = id,
        Key = key ?? IncidentKey.SourceIp(ip),
        Status = status,
        Findings = findings ?? [new Finding(rule, title, severity, attempts, Start, Start.AddSeconds(47), "27 failed logins in 60 s")],
        Users = users ?? ["admin", "root", "oracle"],
        Hosts = hosts ?? ["web-01"],
        Attempts = attempts,
        FirstSeen = Start,
        LastSeen = Start.AddSeconds(47),
        OpenedAt = Start.AddSeconds(40),
    };

    public static Incident Escalate(Incident incident, Severity severity, string rule = "ssh-compromise") => incident with
    {
        Findings = [.. incident.Findings, new Finding(rule, "SSH login after brute force", severity, 1,
            Start.AddSeconds(50), Start.AddSeconds(50), "a successful login from the attacker")],
        LastSeen = Start.AddSeconds(50),
    };
}
