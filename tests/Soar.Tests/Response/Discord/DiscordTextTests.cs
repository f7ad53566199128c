using Soar.Response.Discord;

namespace Soar.Tests.Response.Discord;

public class DiscordTextTests
{
    [Theory]
    [InlineData("@everyone")]
    [InlineData("<@&123>")]
    [InlineData("**bold** __under__ ~~strike~~ ||spoiler||")]
    [InlineData("[x](http://evil)")]
    [InlineData("https://evil.example/path")]
    [InlineData("```\ncode\n```")]
    [InlineData("# heading")]
    [InlineData("> quote")]
    [InlineData("back\\slash")]
    public void EscapedTextShowsExactlyAsWrittenWithNothingActive(string attacker)
    {
        var (shown, active) = DiscordRendering.Render(DiscordText.Escape(attacker, 200));
        Assert.Empty(active);
        // Control characters (the newlines) become visible escapes; everything else shows as written.
        Assert.Equal(attacker.Replace("\n", "\\u000a"), shown);
    }

    [Fact]
    public void LongTextIsCutVisiblyWithinTheBound()
    {
        var escaped = DiscordText.Escape(new string('*', 5000), 100);
        Assert.True(escaped.Length <= 100);
        Assert.EndsWith("…", escaped);
        Assert.Empty(DiscordRendering.Render(escaped).Active);
    }

    [Fact]
    public void BidiOverridesAndTerminalEscapesBecomeVisible() =>
        Assert.Equal("evil\\\\u202egnp\\.exe", DiscordText.Escape("evil\u202Egnp.exe", 100));
}
