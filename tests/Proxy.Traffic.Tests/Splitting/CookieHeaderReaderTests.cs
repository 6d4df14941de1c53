using Microsoft.Extensions.Primitives;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Tests.Splitting;

public class CookieHeaderReaderTests
{
    [Theory]
    [InlineData("proxy-variant=abc", "abc")]
    [InlineData("a=1; proxy-variant=abc; b=2", "abc")]
    [InlineData("a=1;proxy-variant=\"abc\"", "abc")]
    [InlineData("  proxy-variant = abc ", "abc")]
    public void Finds_the_named_cookie(string header, string expected)
    {
        Assert.True(CookieHeaderReader.TryGetValue(new StringValues(header), "proxy-variant", out var value));
        Assert.Equal(expected, value.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("other=1")]
    [InlineData("xproxy-variant=abc")]
    [InlineData("proxy-variant=")]
    public void Reports_a_missing_or_empty_cookie(string header)
    {
        Assert.False(CookieHeaderReader.TryGetValue(new StringValues(header), "proxy-variant", out _));
    }

    [Fact]
    public void Reads_every_cookie_header_line()
    {
        Assert.True(CookieHeaderReader.TryGetValue(new StringValues(["a=1", "proxy-variant=x"]), "proxy-variant", out var value));
        Assert.Equal("x", value.ToString());
    }
}
