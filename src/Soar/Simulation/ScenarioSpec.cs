using System.Globalization;

namespace Soar.Simulation;

/// <summary>The kinds of traffic the simulator writes; each can be combined with the others.</summary>
public enum ScenarioKind
{
    /// <summary>One address, many failures against one or a few users.</summary>
    Bruteforce,
    /// <summary>One address, one or two tries on each of many users.</summary>
    Spray,
    /// <summary>Many addresses, a few tries each, all on one user.</summary>
    Distributed,
    /// <summary>One address, failures spread thinly over a long time.</summary>
    Slow,
    /// <summary>Failures, then a successful password login and a session.</summary>
    Compromise,
    /// <summary>Connections that never authenticate: no identification, HTTP on port 22, old kex.</summary>
    Scanner,
    /// <summary>Key and password logins, sessions, a typo then success, cron noise.</summary>
    Benign,
}

/// <summary>
/// One scenario of a run: <c>name[:key=value,...]</c>, e.g. <c>bruteforce:count=3,attempts=25</c>.
/// <see cref="Count"/> is the number of attacking addresses (sessions for benign); <see cref="Attempts"/>
/// the failures per address (probes for scanner, failures before the success for compromise);
/// <see cref="Users"/> the distinct users tried per address; <see cref="Duration"/> how long it lasts.
/// </summary>
public sealed record ScenarioSpec(ScenarioKind Kind, int Count, int Attempts, int Users, TimeSpan Duration)
{
    public string Name => Kind.ToString().ToLowerInvariant();

    public static ScenarioSpec Default(ScenarioKind kind) => kind switch
    {
        ScenarioKind.Bruteforce => new(kind, Count: 1, Attempts: 40, Users: 1, TimeSpan.FromMinutes(3)),
        ScenarioKind.Spray => new(kind, Count: 1, Attempts: 12, Users: 12, TimeSpan.FromMinutes(3)),
        ScenarioKind.Distributed => new(kind, Count: 25, Attempts: 2, Users: 1, TimeSpan.FromMinutes(4)),
        ScenarioKind.Slow => new(kind, Count: 1, Attempts: 40, Users: 1, TimeSpan.FromMinutes(55)),
        ScenarioKind.Compromise => new(kind, Count: 1, Attempts: 8, Users: 1, TimeSpan.FromMinutes(2)),
        ScenarioKind.Scanner => new(kind, Count: 1, Attempts: 8, Users: 0, TimeSpan.FromMinutes(3)),
        _ => new(kind, Count: 6, Attempts: 1, Users: 0, TimeSpan.FromMinutes(10)),
    };

    public static readonly IReadOnlyList<string> Keys = ["count", "attempts", "users", "duration"];

    /// <summary>Parses "name[:key=value,...]"; on failure says what is wrong in <paramref name="error"/>.</summary>
    public static bool TryParse(string text, out ScenarioSpec spec, out string error)
    {
        spec = null!;
        var colon = text.IndexOf(':');
        var name = (colon < 0 ? text : text[..colon]).Trim();
        if (!Enum.TryParse<ScenarioKind>(name, ignoreCase: true, out var kind) || !Enum.IsDefined(kind)
            || name.Any(char.IsDigit))
        {
            error = $"unknown scenario '{name}' (known: {string.Join(", ", Enum.GetNames<ScenarioKind>().Select(n => n.ToLowerInvariant()))})";
            return false;
        }
        spec = Default(kind);
        if (colon < 0)
        {
            error = "";
            return true;
        }
        foreach (var pair in text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            switch (key)
            {
                case "count" when TryCount(value, 1, out var count): spec = spec with { Count = count }; break;
                case "attempts" when TryCount(value, 1, out var attempts): spec = spec with { Attempts = attempts }; break;
                case "users" when TryCount(value, 1, out var users): spec = spec with { Users = users }; break;
                case "duration" when TryDuration(value, out var duration): spec = spec with { Duration = duration }; break;
                case "count" or "attempts" or "users" or "duration":
                    error = $"scenario {name}: bad value '{value}' for {key} ("
                            + (key == "duration" ? "a duration such as 90s, 10m or 2h" : "a whole number from 1 to 1000000") + ")";
                    return false;
                default:
                    error = $"scenario {name}: unknown key '{key}' (known: {string.Join(", ", Keys)})";
                    return false;
            }
        }
        error = "";
        return true;
    }

    private static bool TryCount(string text, int min, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= 1_000_000;

    /// <summary>"90s", "10m", "2h" or plain seconds; between 1 s and 7 days.</summary>
    public static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length == 0) return false;
        var unit = char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return false;
        duration = unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => TimeSpan.Zero,
        };
        return duration >= TimeSpan.FromSeconds(1) && duration <= TimeSpan.FromDays(7);
    }
}
