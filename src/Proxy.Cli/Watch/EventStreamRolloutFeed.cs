using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Proxy.Cli.Client;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Cli.Watch;

/// <summary>
/// Reads the rollout again on each rollout event of <c>GET /api/events?route=…&amp;kinds=rollout</c>; when the gateway has no
/// event stream (404) or the stream is cut, says so once and goes on with <paramref name="fallback"/> (polling).
/// </summary>
public sealed class EventStreamRolloutFeed(AdminClient client, IRolloutFeed fallback, Action<string> notice) : IRolloutFeed
{
    public async IAsyncEnumerable<RolloutResponse> ReadAsync(string route, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = await TryOpenAsync(route, cancellationToken).ConfigureAwait(false);
        if (stream is not null)
        {
            using (stream)
            {
                yield return (await client.GetRolloutAsync(route, cancellationToken).ConfigureAwait(false)).Value;
                var body = await stream.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var events = SseParser.Create(body).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                await using (events.ConfigureAwait(false))
                {
                    while (await NextAsync(events).ConfigureAwait(false))
                    {
                        yield return (await client.GetRolloutAsync(route, cancellationToken).ConfigureAwait(false)).Value;
                    }
                }
            }

            notice("the event stream was cut; polling the rollout every second instead");
        }

        await foreach (var rollout in fallback.ReadAsync(route, cancellationToken).ConfigureAwait(false))
        {
            yield return rollout;
        }
    }

    private async Task<HttpResponseMessage?> TryOpenAsync(string route, CancellationToken cancellationToken)
    {
        try
        {
            return await client.OpenEventsAsync(route, "rollout", null, cancellationToken).ConfigureAwait(false);
        }
        catch (AdminApiException ex) when (AdminClient.IsMissingEndpoint(ex))
        {
            notice("this gateway has no event stream (GET /api/events answered 404); polling the rollout every second");
            return null;
        }
    }

    // A cut connection ends the stream like a clean end does: either way the fallback takes over.
    private static async Task<bool> NextAsync(IAsyncEnumerator<SseItem<string>> events)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return false;
        }
    }
}
