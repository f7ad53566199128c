namespace Soar.Tests.Deploy;

/// <summary>The strict .conf reader itself: it must refuse what Splunk would misread.</summary>
public class SplunkConfTests
{
    [Fact]
    public void StanzasKeysCommentsAndContinuationsAreRead()
    {
        var conf = SplunkConf.Parse("# comment\n[one]\nkey = value\nsearch = index=main \\\n  | stats count\n\n[two]\nempty =\n");

        Assert.Equal("value", conf["one"]["key"]);
        Assert.Equal("index=main \n| stats count", conf["one"]["search"]);
        Assert.Equal("", conf["two"]["empty"]);
    }

    [Theory]
    [InlineData("[one\nkey = value", "stanza")]
    [InlineData("[]\n[one]\njust words", "key = value")]
    [InlineData("[one]\nkey = a\nkey = b", "set twice")]
    [InlineData("[one]\n[one]", "appears twice")]
    [InlineData("[one]\nkey = a \\", "continuation")]
    [InlineData("[one]\nbad key = a", "key = value")]
    public void MalformedTextIsRefusedWithItsLine(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => SplunkConf.Parse(text));

        Assert.Contains(message, error.Message);
    }
}
