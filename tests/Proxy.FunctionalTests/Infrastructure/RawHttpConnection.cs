using System.Net.Sockets;
using System.Text;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>
/// HTTP/1.1 written by hand over a real keep-alive socket, for requests HttpClient will not send as given (CONNECT with
/// an authority-form target, TRACE): sends a request head and reads one answer's status and body.
/// </summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly Uri _address;
    private TcpClient? _client;
    private NetworkStream? _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _buffered;

    public RawHttpConnection(Uri address) => _address = address;

    /// <summary>Connections opened so far (a new one after the server closed the previous one).</summary>
    public int Connections { get; private set; }

    /// <summary>Sends <paramref name="requestLine"/> (e.g. <c>CONNECT x:1 HTTP/1.1</c>) with a Host header and returns the answer's status and body.</summary>
    public async Task<(int Status, string Body)> SendAsync(string requestLine, string host, CancellationToken cancellationToken = default)
    {
        if (_stream is null)
        {
            _client = new TcpClient();
            await _client.ConnectAsync(_address.Host, _address.Port, cancellationToken);
            _stream = _client.GetStream();
            _buffered = 0;
            Connections++;
        }

        await _stream.WriteAsync(Encoding.ASCII.GetBytes($"{requestLine}\r\nHost: {host}\r\n\r\n"), cancellationToken);
        var head = await ReadHeadAsync(cancellationToken);
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            ? await ReadChunkedAsync(cancellationToken)
            : Encoding.UTF8.GetString(await ReadExactlyAsync(headers.TryGetValue("Content-Length", out var length) ? int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) : 0, cancellationToken));
        if (lines.Any(l => l.Equals("Connection: close", StringComparison.OrdinalIgnoreCase)))
        {
            Close();
        }

        return (status, body);
    }

    private Task<string> ReadHeadAsync(CancellationToken cancellationToken) => ReadUntilAsync("\r\n\r\n"u8.ToArray(), cancellationToken);

    private async Task<string> ReadUntilAsync(byte[] delimiter, CancellationToken cancellationToken)
    {
        while (true)
        {
            var end = _buffer.AsSpan(0, _buffered).IndexOf(delimiter);
            if (end >= 0)
            {
                var text = Encoding.ASCII.GetString(_buffer, 0, end);
                Consume(end + delimiter.Length);
                return text;
            }

            await FillAsync(cancellationToken);
        }
    }

    private async Task<string> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        var body = new StringBuilder();
        while (true)
        {
            var size = Convert.ToInt32((await ReadUntilAsync("\r\n"u8.ToArray(), cancellationToken)).Split(';')[0], 16);
            if (size == 0)
            {
                await ReadUntilAsync("\r\n"u8.ToArray(), cancellationToken);
                return body.ToString();
            }

            body.Append(Encoding.UTF8.GetString(await ReadExactlyAsync(size, cancellationToken)));
            await ReadExactlyAsync(2, cancellationToken);
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int length, CancellationToken cancellationToken)
    {
        while (_buffered < length)
        {
            await FillAsync(cancellationToken);
        }

        var body = _buffer[..length];
        Consume(length);
        return body;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        var read = await _stream!.ReadAsync(_buffer.AsMemory(_buffered), cancellationToken);
        if (read == 0)
        {
            throw new IOException("the server closed the connection before a whole answer");
        }

        _buffered += read;
    }

    private void Consume(int count)
    {
        Buffer.BlockCopy(_buffer, count, _buffer, 0, _buffered - count);
        _buffered -= count;
    }

    private void Close()
    {
        _stream?.Dispose();
        _client?.Dispose();
        _stream = null;
        _client = null;
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
