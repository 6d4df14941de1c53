using System.Diagnostics;
using System.Text;

namespace Proxy.ChaosDriver;

/// <summary>The users: keep-alive clients, each on its own connection, sending paced GETs and some POSTs through the proxies.</summary>
internal sealed class UserTraffic(IReadOnlyList<Uri> proxies, int clients, int ratePerClient, string servedByHeader = "X-Proxy-Cluster")
{
    /// <summary>Every tenth request is a POST with a body: not idempotent, so the gateway may not send it twice.</summary>
    private const int PostEvery = 10;

    private readonly List<RequestOutcome>[] _outcomes = Enumerable.Range(0, clients).Select(_ => new List<RequestOutcome>()).ToArray();

    /// <summary>Every request that ended before the traffic was stopped.</summary>
    public IEnumerable<RequestOutcome> Outcomes => _outcomes.SelectMany(o => o);

    public Task RunAsync(CancellationToken stop) => Task.WhenAll(Enumerable.Range(0, clients).Select(i => RunClientAsync(i, stop)));

    private async Task RunClientAsync(int client, CancellationToken stop)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var proxy = proxies[client % proxies.Count];
        var interval = TimeSpan.FromSeconds(1.0 / ratePerClient);
        var clock = Stopwatch.StartNew();
        var outcomes = _outcomes[client];
        for (long sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var due = interval * sequence;
            if (due > clock.Elapsed)
            {
                try
                {
                    await Task.Delay(due - clock.Elapsed, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var post = sequence % PostEvery == PostEvery - 1;
            using var request = post
                ? new HttpRequestMessage(HttpMethod.Post, new Uri(proxy, $"/chaos/orders?c={client}&n={sequence}"))
                {
                    Content = new StringContent($"{{\"client\":{client},\"n\":{sequence}}}", Encoding.UTF8, "application/json"),
                }
                : new HttpRequestMessage(HttpMethod.Get, new Uri(proxy, $"/chaos/page?c={client}&n={sequence}"));
            var start = Epoch.NowMs();
            try
            {
                using var response = await http.SendAsync(request, stop);
                await response.Content.LoadIntoBufferAsync(stop);
                var cluster = response.Headers.TryGetValues(servedByHeader, out var values) ? values.FirstOrDefault() : null;
                outcomes.Add(new RequestOutcome(start, Epoch.NowMs(), post, (int)response.StatusCode, cluster, null));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (OperationCanceledException)
            {
                outcomes.Add(new RequestOutcome(start, Epoch.NowMs(), post, 0, null, "timeout"));
            }
            catch (HttpRequestException ex)
            {
                outcomes.Add(new RequestOutcome(start, Epoch.NowMs(), post, 0, null, $"transport:{ex.HttpRequestError}"));
            }
        }
    }
}
