using Microsoft.Extensions.Time.Testing;
using Soar.Ingest.Syslog;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Ingest.Syslog;

public class SyslogLineParserTests
{
    [Fact]
    public void ATraditionalLineWithPriorityGivesHeaderAndMessage()
    {
        Assert.True(Lines.SyslogParser().TryParse("<38>Nov 26 14:57:44 vm sshd[20015]: Failed password for x", out var m));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 14, 57, 44, TimeSpan.Zero), m.Timestamp);
        Assert.Equal("vm", m.Host);
        Assert.Equal("sshd", m.Program);
        Assert.Equal(20015, m.Pid);
        Assert.Equal("Failed password for x", m.Message);
    }

    [Fact]
    public void ASingleDigitDayIsPaddedWithASpace()
    {
        Assert.True(Lines.SyslogParser().TryParse("Nov  6 01:02:03 vm sshd[1]: hello", out var m));
        Assert.Equal(new DateTimeOffset(2026, 11, 6, 1, 2, 3, TimeSpan.Zero), m.Timestamp);
    }

    [Fact]
    public void ADateAheadOfNowBelongsToLastYear()
    {
        var january = new DateTimeOffset(2027, 1, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.True(Lines.SyslogParser(january).TryParse("Dec 31 23:59:59 vm sshd[1]: hello", out var m));
        Assert.Equal(2026, m.Timestamp.Year);
    }

    [Fact]
    public void AnRfc3339TimestampKeepsItsOwnZone()
    {
        Assert.True(Lines.SyslogParser().TryParse("2026-11-26T14:57:44.123456+01:00 vm sshd[7]: hi", out var m));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 13, 57, 44, 123, TimeSpan.Zero).AddTicks(4560), m.Timestamp.ToUniversalTime());
        Assert.Equal(7, m.Pid);
    }

    [Fact]
    public void AnRfc5424LineIsRead()
    {
        Assert.True(Lines.SyslogParser().TryParse(
            "<38>1 2026-11-26T14:57:44.524395+00:00 vm sshd 20015 - [meta x=\"a]b\"] Failed password for y", out var m));
        Assert.Equal("sshd", m.Program);
        Assert.Equal(20015, m.Pid);
        Assert.Equal("Failed password for y", m.Message);
    }

    [Fact]
    public void AnRfc3164TimeIsReadInTheConfiguredZone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var parser = new SyslogLineParser(new FakeTimeProvider(Lines.Now), berlin);
        Assert.True(parser.TryParse("Nov 26 14:57:44 vm sshd[1]: x", out var winter));
        Assert.Equal(TimeSpan.FromHours(1), winter.Timestamp.Offset);
        Assert.True(parser.TryParse("Jul 26 14:57:44 vm sshd[1]: x", out var summer));
        Assert.Equal(new DateTimeOffset(2026, 7, 26, 12, 57, 44, TimeSpan.Zero), summer.Timestamp.ToUniversalTime());
    }

    [Fact]
    public void ADateUpToADayAheadIsStillThisYear()
    {
        // Clocks of sender and receiver differ a little; only more than a day ahead means last year.
        Assert.True(Lines.SyslogParser().TryParse("Nov 27 10:00:00 vm sshd[1]: x", out var m));
        Assert.Equal(2026, m.Timestamp.Year);
        Assert.True(Lines.SyslogParser().TryParse("Nov 28 10:00:00 vm sshd[1]: x", out var older));
        Assert.Equal(2025, older.Timestamp.Year);
    }

    [Fact]
    public void TheTwentyNinthOfFebruaryBelongsToThisYearOrLastAndOtherwiseIsRefused()
    {
        var march2029 = new DateTimeOffset(2029, 3, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(Lines.SyslogParser(march2029).TryParse("Feb 29 10:00:00 vm sshd[1]: x", out var m));
        Assert.Equal(2028, m.Timestamp.Year);
        var march2028 = new DateTimeOffset(2028, 3, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(Lines.SyslogParser(march2028).TryParse("Feb 29 10:00:00 vm sshd[1]: x", out m));
        Assert.Equal(2028, m.Timestamp.Year);
        var march2031 = new DateTimeOffset(2031, 3, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.False(Lines.SyslogParser(march2031).TryParse("Feb 29 10:00:00 vm sshd[1]: x", out _));
    }

    [Theory]
    [InlineData("2026-11-26T15:57:44+0100 vm sshd[7]: hi", 14)]
    [InlineData("2026-11-26T15:57:44+01:00 vm sshd[7]: hi", 14)]
    [InlineData("2026-11-26T14:57:44Z vm sshd[7]: hi", 14)]
    [InlineData("2026-11-26T09:57:44-05:00 vm sshd[7]: hi", 14)]
    public void JournaldShortIsoOffsetsAreReadWithOrWithoutAColon(string line, int utcHour)
    {
        Assert.True(Lines.SyslogParser().TryParse(line, out var m));
        Assert.Equal(utcHour, m.Timestamp.UtcDateTime.Hour);
        Assert.Equal("hi", m.Message);
    }

    [Fact]
    public void AnRfc5424LineWithoutTimestampHostOrProcessIdTakesTheTimeOfReading()
    {
        Assert.True(Lines.SyslogParser().TryParse("<38>1 - - sshd - - - hello", out var m));
        Assert.Equal(Lines.Now, m.Timestamp);
        Assert.Equal("", m.Host);
        Assert.Null(m.Pid);
        Assert.Equal("hello", m.Message);
    }

    [Fact]
    public void ATraditionalLineWithoutAHostHasAnEmptyHost()
    {
        Assert.True(Lines.SyslogParser().TryParse("<38>Nov 26 14:57:44 sshd[9]: hello", out var m));
        Assert.Equal("", m.Host);
        Assert.Equal("sshd", m.Program);
        Assert.Equal(9, m.Pid);
    }

    [Fact]
    public void HeaderParsingAllocatesNothing()
    {
        const string line = "<38>1 2026-11-26T14:57:46.701134+00:00 vm sshd 20015 - -  Server listening on ::1 port 2222.";
        SyslogLineParser.TryParseHeader(line, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) SyslogLineParser.TryParseHeader(line, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("<999999>Nov 26 14:57:44 vm sshd[1]: x")]
    [InlineData("Nov 31 14:57:44 vm sshd[1]: x")]
    [InlineData("Nov 26 25:57:44 vm sshd[1]: x")]
    [InlineData("Nov 26 14:57:44 vm")]
    [InlineData("<192>Nov 26 14:57:44 vm sshd[1]: x")]
    [InlineData("2026-02-29T14:57:44Z vm sshd[1]: x")]
    [InlineData("2026-11-26T14:57:44+15:00 vm sshd[1]: x")]
    [InlineData("2026-11-26 14:57:44 vm sshd[1]: x")]
    [InlineData("<38>1 2026-11-26T14:57:44Z vm sshd 1 - [unterminated x")]
    public void MalformedLinesAreRefused(string line) => Assert.False(Lines.SyslogParser().TryParse(line, out _));
}
