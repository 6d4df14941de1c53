using System.Buffers;
using System.Net.WebSockets;

namespace Proxy.DemoBackend.Endpoints;

/// <summary><c>/_demo/ws</c>: a WebSocket that echoes every text and binary message until the client closes.</summary>
internal static class WebSocketEchoApi
{
    private const int BufferSize = 16 * 1024;

    public static IEndpointConventionBuilder MapWebSocketEchoApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.Map("/_demo/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Expected a WebSocket upgrade").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            using var stop = StreamingStop.For(context);
            await EchoAsync(socket, stop.Token).ConfigureAwait(false);
        });

    private static async Task EchoAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    var status = socket.CloseStatus is { } closeStatus && closeStatus != WebSocketCloseStatus.Empty ? closeStatus : WebSocketCloseStatus.NormalClosure;
                    await socket.CloseOutputAsync(status, socket.CloseStatusDescription, ct).ConfigureAwait(false);
                    return;
                }

                // Fragments are echoed as they come, keeping the message boundaries.
                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
