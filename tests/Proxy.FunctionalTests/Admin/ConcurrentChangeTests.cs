using System.Net;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Admin;

public class ConcurrentChangeTests
{
    [Fact]
    public async Task Twenty_concurrent_puts_with_the_same_if_match_let_exactly_one_through()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }));
        using var admin = env.CreateAdminClient();
        var (_, etag) = await admin.GetRouteAsync();
        var historyBefore = (await admin.GetHistoryAsync()).Length;
        using var start = new SemaphoreSlim(0);

        var puts = Enumerable.Range(1, 20).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            using var response = await admin.PutWeightsAsync(new { blue = 100 - i, canary = i }, etag);
            return response.StatusCode;
        })).ToArray();
        start.Release(puts.Length);
        var statuses = await Task.WhenAll(puts);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.PreconditionFailed));
        Assert.Equal(historyBefore + 1, (await admin.GetHistoryAsync()).Length);
    }

    [Fact]
    public async Task Concurrent_read_modify_write_loops_never_lose_an_update()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }));
        using var admin = env.CreateAdminClient();
        const int Writers = 10;

        // Each writer adds one point to canary, retrying on 412 with a fresh read: the classic lost-update race.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var (route, etag) = await admin.GetRouteAsync();
                var canary = route.GetProperty("weights").GetProperty("canary").GetDecimal() + 1;
                using var response = await admin.PutWeightsAsync(new { blue = 100 - canary, canary }, etag);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
            }
        })));

        var (final, _) = await admin.GetRouteAsync();
        Assert.Equal(Writers, final.GetProperty("weights").GetProperty("canary").GetDecimal());
        Assert.Equal(1 + Writers, final.GetProperty("revision").GetInt64());
    }
}
