using Soar.Response.Routing;

namespace Soar.Response;

/// <summary>Configuration section <c>Response</c>: routing and the outbox's delivery policy.</summary>
public sealed class ResponseOptions
{
    /// <summary>Per responder (console, discord, file, webhook): which incidents it gets.</summary>
    public Dictionary<string, ResponseRoute> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a delivery waits for a threat-intel lookup in progress before going out without it.</summary>
    public TimeSpan IntelWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Transient failures are retried for this long after the change, then the row fails.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the dispatcher looks for due rows when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On shutdown, how long the dispatcher keeps delivering rows that are already due.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Delivered and failed rows are kept this long (for inspection), then removed at start-up.</summary>
    public TimeSpan KeepFinished { get; set; } = TimeSpan.FromDays(30);

    public ResponseRoute RouteFor(string responder) =>
        Routes.FirstOrDefault(r => string.Equals(r.Key, responder, StringComparison.OrdinalIgnoreCase)).Value ?? new ResponseRoute();

    public ResponseOptions Validate()
    {
        foreach (var (name, route) in Routes) route.Validate(name);
        Check(IntelWait >= TimeSpan.Zero, "IntelWait", "must not be negative");
        Check(RetryFor > TimeSpan.Zero, "RetryFor", "must be positive");
        Check(InitialBackoff > TimeSpan.Zero, "InitialBackoff", "must be positive");
        Check(MaxBackoff >= InitialBackoff, "MaxBackoff", "must be at least InitialBackoff");
        Check(PollInterval > TimeSpan.Zero, "PollInterval", "must be positive");
        Check(DrainTimeout >= TimeSpan.Zero, "DrainTimeout", "must not be negative");
        Check(KeepFinished >= TimeSpan.Zero, "KeepFinished", "must not be negative");
        return this;
    }

    private static void Check(bool ok, string key, string message)
    {
        if (!ok) throw new ArgumentException($"Response:{key} {message}.");
    }
}
