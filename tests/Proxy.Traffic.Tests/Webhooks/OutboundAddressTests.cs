using Proxy.Traffic.Webhooks;

namespace Proxy.Traffic.Tests.Webhooks;

public class OutboundAddressTests
{
    [Theory]
    [InlineData("https://hooks.example.com/T000/B000/xyz", OutboundAddressProblem.None)]
    [InlineData("http://127.0.0.1:9090", OutboundAddressProblem.None)]
    [InlineData("https://user:secret@hooks.example.com/x", OutboundAddressProblem.Credentials)]
    [InlineData("ftp://files.example.com/x", OutboundAddressProblem.NotHttp)]
    [InlineData("/relative/path", OutboundAddressProblem.NotHttp)]
    [InlineData("file:///etc/passwd", OutboundAddressProblem.NotHttp)]
    [InlineData("", OutboundAddressProblem.NotHttp)]
    [InlineData(null, OutboundAddressProblem.NotHttp)]
    public void An_address_is_an_absolute_http_or_https_one_without_credentials(string? text, OutboundAddressProblem expected)
    {
        Assert.Equal(expected, OutboundAddress.Check(text, 100, out var address));
        Assert.Equal(expected == OutboundAddressProblem.NotHttp, address is null);
    }

    [Fact]
    public void An_address_longer_than_allowed_is_refused()
    {
        var text = "https://example.com/" + new string('a', 100);

        Assert.Equal(OutboundAddressProblem.NotHttp, OutboundAddress.Check(text, 100, out _));
        Assert.Equal(OutboundAddressProblem.None, OutboundAddress.Check(text, 200, out _));
    }
}
