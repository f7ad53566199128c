using Soar.Simulation;
using Soar.Tests.TestSupport;

namespace Soar.Tests.Simulation;

public class SyslogRendererTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 26, 14, 57, 44, 222, TimeSpan.Zero);

    private static SimulatedLine Line(LineForm form, DateTimeOffset? time = null) =>
        new(time ?? Time.AddTicks(5450), 20015, form, "labuser", "127.0.0.11", 53661, 2, 0);

    [Fact]
    public void Rfc3164IsRsyslogsTraditionalFileFormat()
    {
        var renderer = new SyslogRenderer(SyslogFormat.Rfc3164, "vm", TimeZoneInfo.Utc, priority: false);
        // The corpus's own line (auth.log).
        Assert.Equal(
            "Nov 26 14:57:44 vm sshd[20015]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.11  user=labuser",
            renderer.ToText(Line(LineForm.PamAuthFailure)));
    }

    [Fact]
    public void Rfc3164PadsAOneDigitDayAndCarriesThePriorityOnTheWire()
    {
        var renderer = new SyslogRenderer(SyslogFormat.Rfc3164, "vm", TimeZoneInfo.Utc, priority: true);
        Assert.Equal("<38>Nov  6 09:05:01 vm sshd[20015]: Failed password for labuser from 127.0.0.11 port 53661 ssh2",
            renderer.ToText(Line(LineForm.FailedPassword, new DateTimeOffset(2026, 11, 6, 9, 5, 1, TimeSpan.Zero))));
    }

    [Fact]
    public void Rfc5424IsRsyslogsProtocol23FormatWithTheCorpusPriorities()
    {
        var renderer = new SyslogRenderer(SyslogFormat.Rfc5424, "vm", TimeZoneInfo.Utc, priority: false);
        // As auth-rfc5424.log has it: authpriv.notice for pam_unix auth, auth.err for "error:", auth.info for sshd.
        Assert.Equal(
            "<85>1 2026-11-26T14:57:44.222545+00:00 vm sshd 20015 - -  pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.11  user=labuser",
            renderer.ToText(Line(LineForm.PamAuthFailure)));
        Assert.StartsWith("<35>1 ", renderer.ToText(Line(LineForm.MaxAttemptsExceeded)));
        Assert.StartsWith("<38>1 ", renderer.ToText(Line(LineForm.FailedPassword)));
        Assert.StartsWith("<86>1 ", renderer.ToText(Line(LineForm.SessionOpened)));
        Assert.StartsWith("<87>1 ", renderer.ToText(Line(LineForm.PamEnvDeprecated)));
        Assert.StartsWith("<83>1 ", renderer.ToText(Line(LineForm.PamSystemdNoBus)));
    }

    [Fact]
    public void TimestampsAreWrittenInTheConfiguredZone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var renderer = new SyslogRenderer(SyslogFormat.Rfc5424, "vm", berlin, priority: false);
        Assert.StartsWith("<38>1 2026-11-26T15:57:44.222545+01:00 vm sshd 20015", renderer.ToText(Line(LineForm.FailedPassword)));
    }

    [Theory]
    [InlineData(SyslogFormat.Rfc3164)]
    [InlineData(SyslogFormat.Rfc5424)]
    public void SoarsOwnSyslogParserReadsBothFormatsBack(SyslogFormat format)
    {
        var renderer = new SyslogRenderer(format, "web-01", TimeZoneInfo.Utc, priority: true);
        Assert.True(Lines.SyslogParser().TryParse(renderer.ToText(Line(LineForm.FailedPassword)), out var message));
        Assert.Equal("web-01", message.Host);
        Assert.Equal("sshd", message.Program);
        Assert.Equal(20015, message.Pid);
        Assert.Equal("Failed password for labuser from 127.0.0.11 port 53661 ssh2", message.Message);
        Assert.Equal(Time.AddTicks(-Time.Ticks % TimeSpan.TicksPerSecond), message.Timestamp.AddTicks(-message.Timestamp.Ticks % TimeSpan.TicksPerSecond));
    }
}
