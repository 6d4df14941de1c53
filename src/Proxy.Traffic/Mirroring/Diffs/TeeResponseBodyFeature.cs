using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>
/// Replaces the response body feature of a mirrored request only: the body streams to the client through the server's own
/// feature (start, flush, buffering and completion are its), and a copy is teed for the comparison.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The tee wraps the server's body stream, whose lifetime the server owns.")]
internal sealed class TeeResponseBodyFeature(IHttpResponseBodyFeature inner, AnswerBuffer copy) : IHttpResponseBodyFeature
{
    private readonly AnswerTeeStream _stream = new(inner.Stream, copy);
    private PipeWriter? _writer;

    public Stream Stream => _stream;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(_stream, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync().ConfigureAwait(false);
        }

        await inner.CompleteAsync().ConfigureAwait(false);
    }
}
