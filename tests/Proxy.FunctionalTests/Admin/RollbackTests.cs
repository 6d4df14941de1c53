using System.Collections.Concurrent;
using System.Net;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Admin;

public class RollbackTests
{
    [Fact]
    public async Task Rollback_sends_the_next_request_to_stable()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 0, ["canary"] = 100 }));
        using var admin = env.CreateAdminClient();
        using var client = env.CreateClient(cookies: false);
        Assert.Equal("canary", await client.GetVersionAsync());

        using var response = await admin.PostAsync("api/routes/shop/rollback", new { reason = "errors on canary" });

        response.EnsureSuccessStatusCode();
        Assert.Equal("blue", await client.GetVersionAsync());
        Assert.Equal("blue=100, canary=0", (await response.ReadJsonAsync()).Weights());
    }

    [Fact]
    public async Task After_a_rollback_under_load_not_one_later_request_reaches_the_candidate()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 50, ["canary"] = 50 }));
        using var admin = env.CreateAdminClient();
        using var client = env.CreateClient(cookies: false);
        var failures = new ConcurrentQueue<string>();
        var servedAfter = new ConcurrentDictionary<string, int>();
        var rolledBack = false;
        var completed = 0;
        using var stop = new CancellationTokenSource();

        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Read the flag before sending: a request counted "after" surely started after the 200.
                var after = Volatile.Read(ref rolledBack);
                try
                {
                    var version = await client.GetVersionAsync();
                    if (after)
                    {
                        servedAfter.AddOrUpdate(version, 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException ex)
                {
                    failures.Enqueue(ex.Message);
                }

                Interlocked.Increment(ref completed);
            }
        })).ToArray();

        await Eventually.TrueAsync(() => Volatile.Read(ref completed) > 300, "load did not get going");
        using (var response = await admin.PostAsync("api/routes/shop/rollback"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Volatile.Write(ref rolledBack, true);
        var atRollback = Volatile.Read(ref completed);
        await Eventually.TrueAsync(() => Volatile.Read(ref completed) > atRollback + 500, "load stalled after the rollback");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.Equal(["blue"], servedAfter.Keys);
    }
}
