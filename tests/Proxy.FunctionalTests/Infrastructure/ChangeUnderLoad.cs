using System.Collections.Concurrent;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>
/// Makes a change while parallel clients keep sending requests, and reports which versions served the requests that
/// started after the change completed, and every failed request.
/// </summary>
public static class ChangeUnderLoad
{
    public static async Task<(IReadOnlyDictionary<string, int> ServedAfter, IReadOnlyList<string> Failures)> RunAsync(HttpClient client, Func<Task> change, int parallelism = 8)
    {
        var failures = new ConcurrentQueue<string>();
        var servedAfter = new ConcurrentDictionary<string, int>();
        var changed = false;
        var completed = 0;
        using var stop = new CancellationTokenSource();

        var load = Enumerable.Range(0, parallelism).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Read the flag before sending, so a request counted "after" surely started after the change.
                var after = Volatile.Read(ref changed);
                try
                {
                    var version = await client.GetVersionAsync();
                    if (after)
                    {
                        servedAfter.AddOrUpdate(version, 1, (_, n) => n + 1);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    failures.Enqueue(ex.Message);
                }

                Interlocked.Increment(ref completed);
            }
        })).ToArray();

        await Eventually.TrueAsync(() => Volatile.Read(ref completed) > 300, "load did not get going");
        await change();
        Volatile.Write(ref changed, true);
        var atChange = Volatile.Read(ref completed);
        await Eventually.TrueAsync(() => Volatile.Read(ref completed) > atChange + 500, "load stalled after the change");
        await stop.CancelAsync();
        await Task.WhenAll(load);
        return (servedAfter, [.. failures]);
    }
}
