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

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("<999999>Nov 26 14:57:44 vm sshd[1]: x")]
    [InlineData("Nov 31 14:57:44 vm sshd[1]: x")]
    [InlineData("Nov 26 25:57:44 vm sshd[1]: x")]
    [InlineData("Nov 26 14:57:44 vm")]
    public void MalformedLinesAreRefused(string line) => Assert.False(Lines.SyslogParser().TryParse(line, out _));
}
