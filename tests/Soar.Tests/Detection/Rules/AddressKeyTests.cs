using Soar.Detection.Rules;

namespace Soar.Tests.Detection.Rules;

public class AddressKeyTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7", true)]
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    [InlineData("2001:db8::1", "2001:db8:0::1", true)]
    [InlineData("2001:db8::1", "2001:db8::2", false)]
    [InlineData("0.0.0.1", "::1", false)]
    public void EqualAddressesGiveEqualKeys(string a, string b, bool equal)
    {
        Assert.True(AddressKey.TryParse(a, out var x));
        Assert.True(AddressKey.TryParse(b, out var y));
        Assert.Equal(equal, x.Equals(y));
        if (equal) Assert.Equal(x.GetHashCode(), y.GetHashCode());
    }

    [Theory]
    [InlineData("attacker.example.com")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.256")]
    [InlineData("1.2.3.4.5")]
    [InlineData("fe80::1%eth0")]
    [InlineData("")]
    public void WhatIsNotAPlainAddressIsNotAKey(string text) => Assert.False(AddressKey.TryParse(text, out _));
}
