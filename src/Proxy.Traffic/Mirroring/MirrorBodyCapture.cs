namespace Proxy.Traffic.Mirroring;

/// <summary>
/// Wraps the request body the primary reads: bytes pass straight through (the primary still streams), and a copy is
/// kept up to a limit. When the primary reads the end of the body within the limit, <c>onComplete</c> gets the copy;
/// beyond the limit the copy is discarded at once, so memory per request never exceeds the limit.
/// </summary>
internal sealed class MirrorBodyCapture(Stream inner, long limit, Action<ReadOnlyMemory<byte>> onComplete) : Stream
{
    private MemoryStream? _copy = new();

    /// <summary>The primary read the whole body within the limit and the copy was handed over.</summary>
    public bool Completed { get; private set; }

    /// <summary>The body turned out larger than the limit.</summary>
    public bool Overflowed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Observe(buffer[..read], requested: buffer.Length);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read], requested: buffer.Length);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Observe(ReadOnlySpan<byte> data, int requested)
    {
        if (_copy is null)
        {
            return;
        }

        if (data.Length > 0)
        {
            if (_copy.Length + data.Length > limit)
            {
                Overflowed = true;
                _copy = null;
                return;
            }

            _copy.Write(data);
        }
        else if (requested > 0)
        {
            // End of the body: the copy is whole.
            Completed = true;
            var copy = _copy;
            _copy = null;
            onComplete(copy.GetBuffer().AsMemory(0, (int)copy.Length));
        }
    }
}
