using Microsoft.AspNetCore.Http;
using Proxy.Traffic.Admin;

namespace Proxy.Traffic.Tests.Admin;

public class RevisionETagTests
{
    [Theory]
    [InlineData(null, true, null)]
    [InlineData("*", true, null)]
    [InlineData("\"7\"", true, 7L)]
    [InlineData("W/\"7\"", true, 7L)]
    [InlineData("7", true, 7L)]
    [InlineData("\"abc\"", false, null)]
    [InlineData("\"-1\"", false, null)]
    [InlineData("\"1\", \"2\"", false, null)]
    public void If_match_is_read_as_a_revision(string? header, bool valid, long? revision)
    {
        var context = new DefaultHttpContext();
        if (header is not null)
        {
            context.Request.Headers.IfMatch = header;
        }

        Assert.Equal(valid, RevisionETag.TryReadIfMatch(context.Request, out var expected));
        Assert.Equal(revision, expected);
    }

    [Fact]
    public void The_etag_is_the_quoted_revision()
    {
        Assert.Equal("\"42\"", RevisionETag.Format(42));
    }
}
