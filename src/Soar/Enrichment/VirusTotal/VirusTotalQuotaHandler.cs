namespace Soar.Enrichment.VirusTotal;

/// <summary>
/// Sits below the retry strategy: every HTTP attempt, a retry included, first takes a slot of the
/// shared <see cref="VirusTotalQuota"/>, so the budget holds whatever the retries do.
/// </summary>
public sealed class VirusTotalQuotaHandler(VirusTotalQuota quota) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await quota.AcquireAsync(cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
