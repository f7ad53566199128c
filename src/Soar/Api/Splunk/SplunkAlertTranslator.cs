using System.Globalization;
using System.Net;
using Soar.Detection;
using Soar.Events;

namespace Soar.Api.Splunk;

/// <summary>
/// Turns a Splunk alert into the <see cref="RuleMatch"/> a local rule would have made, so that
/// it joins the incidents (and their de-duplication) like one. Pure: time comes from the clock
/// given, when the result carries none or one ahead of it.
/// </summary>
public sealed class SplunkAlertTranslator(SplunkWebhookOptions options, TimeProvider time)
{
    public const string UnnamedRule = "splunk-alert";
    private const int MaxNameLength = 128;
    private const int MaxListEntries = 64;
    private const int MaxEntryLength = 256;

    private static readonly string[] SourceFields = ["src_ip", "src", "source_ip"];
    private static readonly string[] CountFields = ["failures", "count", "attempts"];
    private static readonly string[] UserFields = ["users", "user"];
    private static readonly string[] HostFields = ["hosts", "host", "dest"];

    public bool TryTranslate(SplunkAlert alert, out RuleMatch? match, out string error)
    {
        match = null;
        if (First(alert.Result, SourceFields) is not { } source)
        {
            error = "The alert's result has no source address: expected a field src_ip (or src) holding an IP address.";
            return false;
        }
        if (!IPAddress.TryParse(source.Trim(), out var address) || source.Contains('%'))
        {
            error = $"The alert's result field src_ip '{UntrustedText.ForDisplay(source)}' is not an IP address.";
            return false;
        }
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();

        var searchName = Bounded(alert.SearchName);
        // An exported search may name the local rule it mirrors (eval rule="…"), so that Splunk
        // and local detection add to one finding; otherwise the search is the rule.
        var rule = Bounded(alert.Result.GetValueOrDefault("rule")) ?? searchName ?? UnnamedRule;
        var severity = SeverityNames.TryParse(alert.Result.GetValueOrDefault("severity"), out var s)
            ? s
            : options.ParsedDefaultSeverity;
        var count = First(alert.Result, CountFields) is { } countText
                    && double.TryParse(countText, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && number >= 1
            ? (int)Math.Min(number, int.MaxValue)
            : 1;

        var now = time.GetUtcNow();
        var last = Time(alert.Result.GetValueOrDefault("last_seen")) ?? Time(alert.Result.GetValueOrDefault("_time")) ?? now;
        var first = Time(alert.Result.GetValueOrDefault("first_seen")) ?? last;
        if (first > last) (first, last) = (last, first);
        // A search reports the past: a time ahead of the clock (a forged row, a wrong clock) is taken as now,
        // as it would otherwise make every open incident look quiet.
        if (last > now) last = now;
        if (first > now) first = now;

        var reason = searchName is null ? "Splunk alert" : $"Splunk alert '{searchName}'";
        if (Bounded(alert.Sid) is { } sid) reason += $" (sid {sid})";
        match = new RuleMatch(rule, searchName ?? "Splunk alert", severity, IncidentKey.SourceIp(address.ToString()),
            count, first, last, List(alert.Result, UserFields), List(alert.Result, HostFields), reason);
        error = "";
        return true;
    }

    private static string? First(IReadOnlyDictionary<string, string> result, string[] names)
    {
        foreach (var name in names)
        {
            if (result.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)) return value;
        }
        return null;
    }

    private static string? Bounded(string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        return text.Length <= MaxNameLength ? text : text[..MaxNameLength];
    }

    // Multivalue fields come joined with commas (mvjoin) or newlines.
    private static string[] List(IReadOnlyDictionary<string, string> result, string[] names) =>
        First(result, names) is { } text
            ? [.. text.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => v.Length <= MaxEntryLength ? v : v[..MaxEntryLength])
                .Distinct(StringComparer.Ordinal).Take(MaxListEntries).Order(StringComparer.Ordinal)]
            : [];

    // ISO 8601 (strftime's %z gives +0000, without the colon) or epoch seconds, as _time is.
    private static DateTimeOffset? Time(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch))
            return epoch is > 0 and < 253402300799 ? DateTimeOffset.FromUnixTimeMilliseconds((long)(epoch * 1000)) : null;
        if (text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit))
            text = text[..^2] + ":" + text[^2..];
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;
    }
}
