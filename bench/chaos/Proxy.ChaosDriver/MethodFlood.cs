using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Proxy.ChaosDriver;

/// <summary>
/// Requests the gateway must refuse (or pass on) without blaming an upstream, as fast as eight connections go: mostly
/// CONNECT on kept-alive connections, plus unknown and malformed methods, TLS bytes on a plain port and a smuggling attempt.
/// </summary>
internal static class MethodFlood
{
    private const int Connections = 8;

    // Requests an upstream may answer carry "Connection: close", so their answer ends with the connection.
    private static readonly (string Name, byte[] Bytes, bool KeepAlive)[] s_requests =
    [
        ("CONNECT", Ascii("CONNECT x:1 HTTP/1.1\r\nHost: x:1\r\n\r\n"), true),
        ("CONNECT", Ascii("CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n"), true),
        ("CONNECT", Ascii("CONNECT x:1 HTTP/1.1\r\nHost: x:1\r\n\r\n"), true),
        ("CONNECT", Ascii("CONNECT x:1 HTTP/1.1\r\nHost: x:1\r\n\r\n"), true),
        ("CONNECT", Ascii("CONNECT x:1 HTTP/1.1\r\nHost: x:1\r\n\r\n"), true),
        ("CONNECT", Ascii("CONNECT x:1 HTTP/1.1\r\nHost: x:1\r\n\r\n"), true),
        ("BREW", Ascii("BREW /chaos/pot HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), false),
        ("G\\x01T", Ascii("G\u0001T /chaos HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), false),
        ("TLS", [0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03, 0x00, 0x00, 0x0d, 0x0a, 0x0d, 0x0a], false),
        ("TRACE", Ascii("TRACE /chaos HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), false),
        ("TE+CL", Ascii("POST /chaos HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\nConnection: close\r\n\r\n0\r\n\r\n"), false),
    ];

    /// <summary>Sends <paramref name="count"/> requests, or as many as fit before <paramref name="stop"/>; answers counted by request and status (<c>CONNECT 502</c>, <c>TLS closed</c>).</summary>
    public static async Task<IReadOnlyDictionary<string, int>> RunAsync(Uri proxy, int count, CancellationToken stop)
    {
        var answers = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
        {
            Socket? socket = null;
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count && !stop.IsCancellationRequested)
                {
                    var (name, bytes, keepAlive) = s_requests[i % s_requests.Length];
                    socket ??= await ConnectAsync(proxy, stop);
                    var (status, open) = socket is null ? ("connect-failed", false) : await ExchangeAsync(socket, bytes, keepAlive, stop);
                    if (stop.IsCancellationRequested)
                    {
                        break; // cut off by the flood's time limit: not an answer
                    }

                    answers.AddOrUpdate($"{name} {status}", 1, (_, n) => n + 1);
                    if (!open)
                    {
                        socket?.Dispose();
                        socket = null;
                    }
                }
            }
            finally
            {
                socket?.Dispose();
            }
        }));
        return answers;
    }

    /// <summary>True for an answer that says an upstream failed: the gateway blamed (and so counted) a cluster.</summary>
    public static bool BlamesUpstream(string answer) => answer.EndsWith(" 502", StringComparison.Ordinal)
        || answer.EndsWith(" 503", StringComparison.Ordinal) || answer.EndsWith(" 504", StringComparison.Ordinal);

    private static async Task<Socket?> ConnectAsync(Uri proxy, CancellationToken stop)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(proxy.Host, proxy.Port, stop);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Sends one request and reads its answer: the status (or why there is none), and whether the connection can be reused.</summary>
    private static async Task<(string Status, bool Open)> ExchangeAsync(Socket socket, byte[] request, bool keepAlive, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await socket.SendAsync(request, SocketFlags.None, timeout.Token);
            var buffer = new byte[16 * 1024];
            var read = 0;
            var headerEnd = -1;
            while (headerEnd < 0)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    return (read == 0 ? "closed" : StatusOf(buffer, read), false);
                }

                read += n;
                headerEnd = IndexOf(buffer, read, "\r\n\r\n"u8);
                if (headerEnd < 0 && read == buffer.Length)
                {
                    return (StatusOf(buffer, read), false);
                }
            }

            var status = StatusOf(buffer, read);
            var headers = Encoding.ASCII.GetString(buffer, 0, headerEnd).ToLowerInvariant();
            if (!keepAlive || headers.Contains("\r\nconnection: close", StringComparison.Ordinal) || !TryContentLength(headers, out var length))
            {
                return (status, false);
            }

            // Skip the body to reach the next answer on this connection.
            var body = read - (headerEnd + 4);
            while (body < length)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    return (status, false);
                }

                body += n;
            }

            return (status, body == length);
        }
        catch (OperationCanceledException)
        {
            return ("no-answer", false);
        }
        catch (SocketException ex)
        {
            return ($"socket:{ex.SocketErrorCode}", false);
        }
    }

    private static bool TryContentLength(string headers, out long length)
    {
        length = 0;
        if (headers.Contains("transfer-encoding:", StringComparison.Ordinal))
        {
            return false;
        }

        var at = headers.IndexOf("\r\ncontent-length:", StringComparison.Ordinal);
        if (at < 0)
        {
            return true; // an error answer without a body
        }

        var start = at + "\r\ncontent-length:".Length;
        var end = headers.IndexOf('\r', start);
        return long.TryParse(end < 0 ? headers[start..] : headers[start..end], NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out length);
    }

    // "HTTP/1.1 405 Method Not Allowed" -> "405"
    private static string StatusOf(byte[] buffer, int read)
    {
        var parts = Encoding.ASCII.GetString(buffer, 0, Math.Min(read, 64)).Split('\r')[0].Split(' ');
        return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal) ? parts[1] : "garbled";
    }

    private static int IndexOf(byte[] buffer, int length, ReadOnlySpan<byte> value) => buffer.AsSpan(0, length).IndexOf(value);

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
