using System.Net;
using Soar.Enrichment;

namespace Soar.Tests.Enrichment;

public sealed class InternalAddressTests
{
    [Theory]
    [InlineData("0.1.2.3")] [InlineData("10.255.0.1")] [InlineData("100.127.255.254")] [InlineData("127.8.8.8")]
    [InlineData("169.254.169.254")] [InlineData("172.31.255.255")] [InlineData("192.0.0.8")] [InlineData("192.0.2.1")]
    [InlineData("192.168.0.1")] [InlineData("198.19.0.1")] [InlineData("198.51.100.200")] [InlineData("203.0.113.1")]
    [InlineData("239.255.255.250")] [InlineData("250.1.1.1")] [InlineData("::")] [InlineData("::1")]
    [InlineData("fc00::1")] [InlineData("fe80::abcd")] [InlineData("fec0::1")] [InlineData("ff05::2")]
    [InlineData("2001:db8:1::1")] [InlineData("3fff:0fff::1")] [InlineData("2001::1")] [InlineData("100::1")]
    [InlineData("::ffff:192.168.1.1")] [InlineData("64:ff9b::10.0.0.1")]
    public void SpecialPurposeAddressesAreInternal(string ip) => Assert.True(InternalAddress.IsInternal(IPAddress.Parse(ip)));

    [Theory]
    [InlineData("1.1.1.1")] [InlineData("8.8.8.8")] [InlineData("45.1.101.7")] [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")] [InlineData("172.32.0.1")] [InlineData("198.20.0.1")] [InlineData("203.0.114.1")]
    [InlineData("223.255.255.255")] [InlineData("2a01:4f8::1")] [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.4.4")] [InlineData("64:ff9b::8.8.8.8")] [InlineData("2001:200::1")]
    public void PublicAddressesAreNot(string ip) => Assert.False(InternalAddress.IsInternal(IPAddress.Parse(ip)));
}
