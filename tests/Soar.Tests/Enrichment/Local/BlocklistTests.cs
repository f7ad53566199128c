using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Soar.Enrichment;
using Soar.Enrichment.Local;
using Soar.Events;

namespace Soar.Tests.Enrichment.Local;

public sealed class BlocklistTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("soar-bl-").FullName;

    private const string FireHol = """
        #
        # firehol_level1
        #
        # Maintainer      : FireHOL
        0.0.0.0/8
        45.1.0.0/16
        185.220.101.7
        2a01:4f8:dead::/48
        """;

    private const string SpamhausDrop = """
        ; Spamhaus DROP List 2026/01/01 - (c) 2026 The Spamhaus Project SLR
        ; Last-Modified: Thu, 01 Jan 2026 00:00:00 GMT
        1.10.16.0/20 ; SBL256894
        45.1.2.0/24 ; SBL000001
        not an address
        999.1.1.1
        """;

    [Fact]
    public void FireHolAndSpamhausFilesAreReadWithTheirComments()
    {
        var firehol = Blocklist.Parse("firehol_level1", new StringReader(FireHol));
        var drop = Blocklist.Parse("drop", new StringReader(SpamhausDrop));

        Assert.Equal(4, firehol.Entries);
        Assert.Equal(0, firehol.BadLines);
        Assert.True(firehol.Ranges.Contains(IPAddress.Parse("45.1.200.3")));
        Assert.True(firehol.Ranges.Contains(IPAddress.Parse("2a01:4f8:dead:1::9")));
        Assert.False(firehol.Ranges.Contains(IPAddress.Parse("185.220.101.8")));
        Assert.Equal(2, drop.Entries);
        Assert.Equal(2, drop.BadLines);
        Assert.Equal(5, drop.FirstBadLine);
        Assert.True(drop.Ranges.Contains(IPAddress.Parse("1.10.31.255")));
    }

    [Fact]
    public void HitsNameEveryListThatHoldsTheAddress()
    {
        using var lists = Load(out _, ("firehol_level1.netset", FireHol), ("drop.txt", SpamhausDrop));

        Assert.Equal(["firehol_level1", "drop"], lists.Match(IPAddress.Parse("45.1.2.3")));
        Assert.Equal(["firehol_level1"], lists.Match(IPAddress.Parse("::ffff:185.220.101.7")));
        Assert.Empty(lists.Match(IPAddress.Parse("8.8.8.8")));
    }

    [Fact]
    public void AChangedFileIsReloadedAndAMissingOneIsPickedUpWhenItAppears()
    {
        var path = Path.Combine(_dir, "mine.txt");
        using var lists = Load(out var time, ("absent.txt", null), ("mine.txt", "45.9.9.9\n"));
        Assert.Empty(lists.Match(IPAddress.Parse("45.7.7.7")));

        File.WriteAllText(path, "45.9.9.9\n45.7.7.0/24\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        File.WriteAllText(Path.Combine(_dir, "absent.txt"), "45.7.7.7\n");
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["absent", "mine"], lists.Match(IPAddress.Parse("45.7.7.7")));
    }

    [Fact]
    public async Task TheDecoratorAddsHitsToLookupsAndToLaterReports()
    {
        using var lists = Load(out _, ("firehol_level1.netset", FireHol));
        var inner = new ScriptedIntel();
        var intel = new BlocklistThreatIntel(inner, lists);
        IntelReport? ready = null;
        intel.ReportReady += (_, report) => ready = report;

        var now = await intel.LookupAsync("45.1.2.3", Severity.High, TimeSpan.Zero, CancellationToken.None);
        inner.Announce(new IntelReport { Ip = "45.1.2.3", Status = IntelStatus.Found, Malicious = 3 });

        Assert.Equal(["firehol_level1"], now.BlocklistHits);
        Assert.Equal(IntelStatus.NotConfigured, now.Status);
        Assert.Equal(["firehol_level1"], ready!.BlocklistHits);
        Assert.Equal(3, ready.Malicious);
    }

    private LocalBlocklists Load(out FakeTimeProvider time, params (string Name, string? Text)[] files)
    {
        foreach (var (name, text) in files)
            if (text is not null) File.WriteAllText(Path.Combine(_dir, name), text);
        time = new FakeTimeProvider();
        return new LocalBlocklists(new BlocklistOptions { Files = [.. files.Select(f => Path.Combine(_dir, f.Name))] },
            time, NullLogger<LocalBlocklists>.Instance);
    }

    private sealed class ScriptedIntel : IThreatIntel
    {
        public event EventHandler<IntelReport>? ReportReady;
        public void Announce(IntelReport report) => ReportReady?.Invoke(this, report);
        public ValueTask<IntelReport> LookupAsync(string ip, Severity priority, TimeSpan wait, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new IntelReport { Ip = ip, Status = IntelStatus.NotConfigured });
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
