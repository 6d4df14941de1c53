using System.Collections.Concurrent;
using System.Diagnostics;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>
/// Parallel clients sending GET / until disposed, recording for each answer when its request started, which cluster
/// served it (the served-by header) and its status, so a test can ask what happened after a given instant.
/// </summary>
public sealed class SteadyLoad : IAsyncDisposable
{
    private readonly ConcurrentQueue<(long Started, long Completed, string Cluster, int Status)> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _clients;

    public SteadyLoad(HttpClient client, string servedByHeader, int parallelism = 6)
    {
        _clients = Enumerable.Range(0, parallelism).Select(_ => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.GetAsync("/", _stop.Token);
                    var cluster = response.Headers.TryGetValues(servedByHeader, out var values) ? values.First() : "?";
                    _answers.Enqueue((started, Stopwatch.GetTimestamp(), cluster, (int)response.StatusCode));
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                {
                    _answers.Enqueue((started, Stopwatch.GetTimestamp(), "transport-error", 0));
                }
            }
        })).ToArray();
    }

    /// <summary>Answers received so far.</summary>
    public int Count => _answers.Count;

    /// <summary>Answers per cluster to requests that started after <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public Dictionary<string, int> ServedSince(long timestamp) =>
        _answers.Where(a => a.Started > timestamp).GroupBy(a => a.Cluster).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>
    /// Answers per cluster to requests that started after <paramref name="from"/> and were answered before
    /// <paramref name="until"/> (<see cref="Stopwatch"/> timestamps): the gateway decided them before <paramref name="until"/>.
    /// </summary>
    public Dictionary<string, int> AnsweredBetween(long from, long until) =>
        _answers.Where(a => a.Started > from && a.Completed < until).GroupBy(a => a.Cluster).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Waits until the load has produced answers (the gateway and upstreams are warm).</summary>
    public Task WarmAsync() => Eventually.TrueAsync(() => Count > 100, "the load did not get going");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        _stop.Dispose();
    }
}
