using System.Net.WebSockets;
using System.Text;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>Reads whole WebSocket messages, however many frames they arrive in.</summary>
public static class WebSocketMessages
{
    public static async Task<string> ReceiveTextAsync(this WebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(message.ToArray());
    }
}
