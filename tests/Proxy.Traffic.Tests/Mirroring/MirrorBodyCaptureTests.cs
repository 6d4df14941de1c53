using Proxy.Traffic.Mirroring;

namespace Proxy.Traffic.Tests.Mirroring;

public class MirrorBodyCaptureTests
{
    private static readonly byte[] Body = [.. Enumerable.Range(0, 1000).Select(i => (byte)i)];

    [Fact]
    public async Task A_body_within_the_limit_reaches_the_primary_and_the_copy_unchanged()
    {
        byte[]? copy = null;
        var capture = new MirrorBodyCapture(new MemoryStream(Body), limit: 1000, bytes => copy = bytes.ToArray());

        var primary = await ReadInSmallChunksAsync(capture);

        Assert.Equal(Body, primary);
        Assert.Equal(Body, copy);
        Assert.True(capture.Completed);
    }

    [Fact]
    public async Task A_body_over_the_limit_still_reaches_the_primary_but_gives_no_copy()
    {
        var handed = false;
        var capture = new MirrorBodyCapture(new MemoryStream(Body), limit: 999, _ => handed = true);

        var primary = await ReadInSmallChunksAsync(capture);

        Assert.Equal(Body, primary);
        Assert.False(handed);
        Assert.True(capture.Overflowed);
        Assert.False(capture.Completed);
    }

    [Fact]
    public async Task A_body_the_primary_never_finishes_gives_no_copy()
    {
        var handed = false;
        var capture = new MirrorBodyCapture(new MemoryStream(Body), limit: 1000, _ => handed = true);

        _ = await capture.ReadAsync(new byte[100]);

        Assert.False(handed);
        Assert.False(capture.Completed || capture.Overflowed);
    }

    private static async Task<byte[]> ReadInSmallChunksAsync(Stream stream)
    {
        var result = new MemoryStream();
        var buffer = new byte[64];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            result.Write(buffer, 0, read);
        }

        return result.ToArray();
    }
}
