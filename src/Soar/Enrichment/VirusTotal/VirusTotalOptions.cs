namespace Soar.Enrichment.VirusTotal;

/// <summary>VirusTotal v3 settings (configuration section "VirusTotal"). The key is a secret: never logged.</summary>
public sealed class VirusTotalOptions
{
    /// <summary>From SOAR_VIRUSTOTAL_API_KEY. Empty: enrichment says "VirusTotal not configured".</summary>
    public string? ApiKey { get; set; }

    /// <summary>From SOAR_VIRUSTOTAL_BASE_URL; tests point it at a local fake.</summary>
    public string BaseUrl { get; set; } = "https://www.virustotal.com";

    /// <summary>The free API allows 4 requests a minute and 500 a day; premium keys allow more.</summary>
    public int RequestsPerMinute { get; set; } = 4;
    public int RequestsPerDay { get; set; } = 500;

    /// <summary>How long a report is trusted before the address is asked about again.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long "VirusTotal has no data" is remembered: shorter, data may appear.</summary>
    public TimeSpan NotFoundTtl { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Timeout of one HTTP attempt, and the retries of a 5xx or a timeout (jittered exponential backoff).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int MaxRetries { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);

    public Uri BaseUri => new(BaseUrl.TrimEnd('/') + "/");

    public void Validate()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"VirusTotal:BaseUrl must be an absolute http(s) URL, not '{BaseUrl}'.");
        if (RequestsPerMinute < 1) throw new ArgumentException("VirusTotal:RequestsPerMinute must be at least 1.");
        if (RequestsPerDay < 1) throw new ArgumentException("VirusTotal:RequestsPerDay must be at least 1.");
        if (CacheTtl <= TimeSpan.Zero) throw new ArgumentException("VirusTotal:CacheTtl must be positive.");
        if (NotFoundTtl <= TimeSpan.Zero) throw new ArgumentException("VirusTotal:NotFoundTtl must be positive.");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("VirusTotal:RequestTimeout must be positive.");
        if (MaxRetries is < 0 or > 10) throw new ArgumentException("VirusTotal:MaxRetries must be between 0 and 10.");
        if (RetryBaseDelay <= TimeSpan.Zero) throw new ArgumentException("VirusTotal:RetryBaseDelay must be positive.");
        if (ApiKey is { } key && key.Any(char.IsControl))
            throw new ArgumentException("VirusTotal:ApiKey contains a control character."); // never echo the key
    }
}
