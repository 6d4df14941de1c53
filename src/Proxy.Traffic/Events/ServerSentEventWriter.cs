using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Proxy.Traffic.Events;

/// <summary>Writes one client's subscription as <c>text/event-stream</c>: the gap, the replay, then live events and keep-alive comments.</summary>
internal sealed class ServerSentEventWriter(HttpResponse response, ProxyEventHub stream)
{
    public async Task WriteAsync(EventSubscription client, TimeSpan keepAlive, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        // retry: how long a browser waits before it reconnects; the comment opens the stream at once for proxies and clients.
        await response.WriteAsync($"retry: 2000\n: stream {stream.StreamId}\n\n", cancellationToken).ConfigureAwait(false);
        if (client.Gap is { } gap)
        {
            // No id: the client's Last-Event-ID stays the one it had until a real event follows.
            await response.WriteAsync($"event: {ProxyEventKinds.Gap}\ndata: {JsonSerializer.Serialize(gap, EventJson.Options)}\n\n", cancellationToken).ConfigureAwait(false);
        }

        foreach (var @event in client.Replay)
        {
            await response.WriteAsync(Format(@event), cancellationToken).ConfigureAwait(false);
        }

        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        var live = client.Live;
        Task<bool>? pending = null;
        while (true)
        {
            while (live.TryRead(out var @event))
            {
                await response.WriteAsync(Format(@event), cancellationToken).ConfigureAwait(false);
            }

            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            pending ??= live.WaitToReadAsync(cancellationToken).AsTask();
            if (!pending.IsCompleted)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                if (await Task.WhenAny(pending, Task.Delay(keepAlive, timeProvider, idle.Token)).ConfigureAwait(false) != pending)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await idle.CancelAsync().ConfigureAwait(false);
            }

            var more = await pending.ConfigureAwait(false);
            pending = null;
            if (!more)
            {
                return; // dropped for falling a whole queue behind: the client reconnects with its Last-Event-ID
            }
        }
    }

    private string Format(ProxyEvent @event) => $"id: {stream.IdOf(@event)}\nevent: {@event.Kind}\ndata: {@event.Data}\n\n";
}
