using Microsoft.Extensions.Time.Testing;
using Soar.Enrichment.VirusTotal;

namespace Soar.Tests.Enrichment.VirusTotal;

public sealed class VirusTotalQuotaTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void FourCallsFillTheMinuteAndTheFifthWaitsForTheOldestToLeaveIt()
    {
        var quota = new VirusTotalQuota(new VirusTotalOptions(), _time);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(quota.TryAcquire(out _));
            _time.Advance(TimeSpan.FromSeconds(5));
        }
        Assert.False(quota.TryAcquire(out var wait));
        Assert.Equal(TimeSpan.FromSeconds(40), wait);
        _time.Advance(wait - TimeSpan.FromMilliseconds(1));
        Assert.False(quota.TryAcquire(out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(quota.TryAcquire(out _));
    }

    [Fact]
    public void TheDayBudgetHoldsAcrossMinutes()
    {
        var quota = new VirusTotalQuota(new VirusTotalOptions { RequestsPerMinute = 100, RequestsPerDay = 3 }, _time);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(quota.TryAcquire(out _));
            _time.Advance(TimeSpan.FromMinutes(10));
        }
        Assert.False(quota.TryAcquire(out var wait));
        Assert.Equal(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(30), wait);
    }

    [Fact]
    public void CallsFromBeforeARestartStillCount()
    {
        var now = _time.GetUtcNow();
        var quota = new VirusTotalQuota(new VirusTotalOptions(), _time,
            [now.AddSeconds(-50), now.AddSeconds(-40), now.AddSeconds(-30), now.AddSeconds(-20), now.AddHours(-30)]);
        Assert.False(quota.TryAcquire(out var wait));
        Assert.Equal(TimeSpan.FromSeconds(10), wait);
        Assert.Equal(4, quota.CallsInLastDay);
    }

    [Fact]
    public void APauseHoldsEveryCallBackUntilItEnds()
    {
        var quota = new VirusTotalQuota(new VirusTotalOptions(), _time);
        quota.PauseUntil(_time.GetUtcNow().AddMinutes(3));
        Assert.Equal(TimeSpan.FromMinutes(3), quota.DelayUntilAvailable());
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.True(quota.TryAcquire(out _));
    }

    [Fact]
    public async Task ManyConcurrentCallersNeverGetMoreThanTheBudget()
    {
        var quota = new VirusTotalQuota(new VirusTotalOptions(), _time);
        var granted = 0;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(caller => Task.Run(() =>
        {
            if (quota.TryAcquire(out _)) Interlocked.Increment(ref granted);
        })));
        Assert.Equal(4, granted);
    }
}
