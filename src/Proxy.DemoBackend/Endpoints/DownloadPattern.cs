namespace Proxy.DemoBackend.Endpoints;

/// <summary>The deterministic download content: byte i is <c>(byte)(i * 31 + 7)</c>, so a client can check every byte.</summary>
internal static class DownloadPattern
{
    // The pattern repeats every 256 bytes, so a chunk whose length is a multiple of 256 can be sent again and again.
    private const int ChunkSize = 64 * 1024;

    /// <summary>The first <c>64 KiB</c> of the pattern; every following chunk is identical.</summary>
    public static byte[] Chunk { get; } = Create();

    /// <summary>The byte at position <paramref name="index"/>.</summary>
    public static byte At(long index) => unchecked((byte)(index * 31 + 7));

    private static byte[] Create()
    {
        var chunk = new byte[ChunkSize];
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = At(i);
        }

        return chunk;
    }
}
