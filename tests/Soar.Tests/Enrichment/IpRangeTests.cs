using System.Net;
using Soar.Enrichment;

namespace Soar.Tests.Enrichment;

public sealed class IpRangeTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("1.2.3.4", "1.2.3.4", true)]
    [InlineData("1.2.3.4", "1.2.3.5", false)]
    [InlineData("1.2.3.77/24", "1.2.3.0", true)] // host bits ignored
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("0.0.0.0/0", "2a01::1", false)] // an IPv4 range holds no IPv6 address
    [InlineData("2a01:4f8::/32", "2a01:4f8:ffff::1", true)]
    [InlineData("2a01:4f8::/32", "2a01:4f9::1", false)]
    [InlineData("5.6.7.0/24", "::ffff:5.6.7.8", true)]
    public void ARangeHoldsTheAddressesOfItsPrefix(string cidr, string ip, bool expected)
    {
        Assert.True(IpRange.TryParse(cidr, out var range));
        Assert.Equal(expected, new IpRangeSet([range.Value]).Contains(IPAddress.Parse(ip).IsIPv4MappedToIPv6
            ? IPAddress.Parse(ip).MapToIPv4() : IPAddress.Parse(ip)));
    }

    [Theory]
    [InlineData("")] [InlineData("1.2.3")] [InlineData("1.2.3.4/33")] [InlineData("::/129")] [InlineData("1.2.3.4/-1")]
    [InlineData("1.2.3.4/ 8")] [InlineData("example.com")] [InlineData("1.2.3.4/8/8")]
    public void TextThatIsNoAddressOrCidrIsRefused(string text) => Assert.False(IpRange.TryParse(text, out _));

    [Fact]
    public void OverlappingAndAdjacentRangesMergeAndStillAnswerCorrectly()
    {
        var set = new IpRangeSet(new[] { "10.0.0.0/24", "10.0.1.0/24", "10.0.0.128/25", "192.168.0.0/16", "8.8.8.8" }
            .Select(c => IpRange.TryParse(c, out var r) ? r!.Value : throw new ArgumentException(c)));

        Assert.Equal(3, set.Count);
        Assert.True(set.Contains(IPAddress.Parse("10.0.1.255")));
        Assert.False(set.Contains(IPAddress.Parse("10.0.2.0")));
        Assert.True(set.Contains(IPAddress.Parse("8.8.8.8")));
        Assert.False(set.Contains(IPAddress.Parse("8.8.8.9")));
        Assert.False(IpRangeSet.Empty.Contains(IPAddress.Parse("8.8.8.8")));
    }
}
