using System.Collections.Concurrent;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>Sends a bounded number of requests from parallel clients and counts the versions that answered.</summary>
public static class Load
{
    public static async Task<Dictionary<string, int>> RunAsync(HttpClient client, int requests, int parallelism)
    {
        var served = new ConcurrentDictionary<string, int>();
        var remaining = requests;
        await Task.WhenAll(Enumerable.Range(0, parallelism).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var version = await client.GetVersionAsync();
                served.AddOrUpdate(version, 1, (_, n) => n + 1);
            }
        })));
        return new Dictionary<string, int>(served);
    }
}
