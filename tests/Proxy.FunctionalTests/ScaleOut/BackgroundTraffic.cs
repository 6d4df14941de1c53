using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>Requests sent without pause through several gateways until stopped, counting those that failed.</summary>
public sealed class BackgroundTraffic : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<(int Sent, int Failed)>[] _loops;

    public BackgroundTraffic(params TestEnvironment[] gateways)
    {
        _loops = [.. gateways.Select(g => Task.Run(() => LoopAsync(g)))];
    }

    public async Task<(int Sent, int Failed)> StopAsync()
    {
        await _stop.CancelAsync();
        var results = await Task.WhenAll(_loops);
        return (results.Sum(r => r.Sent), results.Sum(r => r.Failed));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task<(int Sent, int Failed)> LoopAsync(TestEnvironment gateway)
    {
        using var client = gateway.CreateClient();
        var (sent, failed) = (0, 0);
        while (!_stop.IsCancellationRequested)
        {
            sent++;
            try
            {
                using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
                failed += response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (HttpRequestException)
            {
                failed++;
            }
        }

        return (sent, failed);
    }
}
