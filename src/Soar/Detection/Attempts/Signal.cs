namespace Soar.Detection.Attempts;

/// <summary>What rules count: one per authentication attempt or probe, however many lines it took.</summary>
public enum SignalKind : byte
{
    /// <summary>A failed authentication attempt.</summary>
    Failure,
    /// <summary>A successful login.</summary>
    Success,
    /// <summary>A connection that failed before authentication (scanners, protocol errors).</summary>
    Probe,
}

public static class SignalKindNames
{
    public static string Name(this SignalKind kind) => kind switch
    {
        SignalKind.Failure => "failure",
        SignalKind.Success => "success",
        _ => "probe",
    };

    public static string Plural(this SignalKind kind) => kind switch
    {
        SignalKind.Failure => "failures",
        SignalKind.Success => "successes",
        _ => "probes",
    };

    public static bool TryParse(string text, out SignalKind kind)
    {
        kind = text switch { "failure" => SignalKind.Failure, "success" => SignalKind.Success, _ => SignalKind.Probe };
        return text is "failure" or "success" or "probe";
    }
}

/// <summary>One attempt or probe, on event time. User and source may be unknown (null).</summary>
public readonly record struct Signal(SignalKind Kind, DateTimeOffset Time, string? SourceIp, string? User, string Host);
