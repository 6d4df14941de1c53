using System.Net;
using System.Net.Http.Json;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Mirroring;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>Redis going away and coming back, mid-traffic and at start-up: the data plane never notices.</summary>
public sealed class RedisOutageTests
{
    private static readonly TimeSpan Resync = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Redis_stopped_mid_traffic_fails_no_request_refuses_writes_and_resyncs_when_back()
    {
        using var redis = RedisServer.Durable();
        await using var fleet = await GatewayFleet.StartAsync(redis, 2, Resync);
        var (a, b) = (fleet.Instances[0], fleet.Instances[1]);
        using var adminA = a.CreateAdminClient();
        using var adminB = b.CreateAdminClient();
        (await adminA.PutWeightsAsync(new { blue = 50, canary = 50 })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => b.Revision("shop") == a.Revision("shop"), "B did not apply A's change");
        using var traffic = new BackgroundTraffic(a, b);

        redis.Stop();
        await Eventually.TrueAsync(async () => await IsStaleAsync(adminA) && await IsStaleAsync(adminB), "the instances did not report their split as stale");

        using var refused = await adminA.PutWeightsAsync(new { blue = 0, canary = 100 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("The shared state store cannot be reached", (await refused.ReadJsonAsync()).GetProperty("title").GetString());
        using var refusedMirror = await adminB.PutAsJsonAsync("api/routes/shop/mirror", new { cluster = "canary", percentage = 10 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedMirror.StatusCode);
        Assert.False(b.MirrorStore().TryGet("shop", out _));

        // Every other call that needs the store answers the same way, whichever endpoint it is.
        foreach (var (method, path) in new[] { ("GET", "api/routes/shop/history"), ("GET", "api/fleet"), ("GET", "api/routes/shop/mirror/history"), ("POST", "api/routes/shop/rollouts") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = JsonContent.Create(new { candidate = "canary", strategy = "canary", steps = new[] { new { weight = 10 } }, analysis = new { interval = "00:00:01", maxErrorRate = 0.05 } });
            }

            using var answer = await adminA.SendAsync(request);
            Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"{method} {path}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }

        var (route, _) = await adminB.GetRouteAsync();
        Assert.Equal("blue=50, canary=50", route.Weights());
        Assert.Equal(50m, a.Splits.TryGetSnapshot("shop", out var inForce) ? inForce.Definition.WeightOf("canary") / 100m : -1);

        redis.Start();
        await Eventually.TrueAsync(async () => !await IsStaleAsync(adminA) && !await IsStaleAsync(adminB), "the instances did not resync after Redis returned");
        (await adminA.PutWeightsAsync(new { blue = 0, canary = 100 })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => b.Revision("shop") == a.Revision("shop"), "B did not apply the change made after Redis returned");

        var (sent, failed) = await traffic.StopAsync();
        Assert.True(sent > 0, "no traffic was sent");
        Assert.Equal(0, failed);
    }

    [Fact]
    public async Task An_instance_started_while_redis_is_down_serves_the_file_then_converges()
    {
        using var redis = new RedisServer();
        redis.Stop();
        await using var fleet = await GatewayFleet.StartAsync(redis, 1, Resync);
        var a = fleet.Instances[0];
        using var adminA = a.CreateAdminClient();

        var (route, _) = await adminA.GetRouteAsync();
        Assert.True(route.GetProperty("sync").GetProperty("stale").GetBoolean());
        Assert.Contains("start-up", route.GetProperty("sync").GetProperty("detail").GetString(), StringComparison.Ordinal);
        using (var client = a.CreateClient())
        {
            Assert.Equal("blue", await client.GetVersionAsync());
        }

        redis.Start();
        await Eventually.TrueAsync(async () => !await IsStaleAsync(adminA), "the instance did not resync when Redis appeared");
        var b = await fleet.AddInstanceAsync();
        using var adminB = b.CreateAdminClient();
        (await adminB.PutWeightsAsync(new { blue = 0, canary = 100 })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => a.Revision("shop") == b.Revision("shop"), "A did not apply B's change");

        using var clientA = a.CreateClient();
        Assert.Equal(new Dictionary<string, int> { ["canary"] = 20 }, await Load.RunAsync(clientA, requests: 20, parallelism: 2));
    }

    private static async Task<bool> IsStaleAsync(HttpClient admin)
    {
        var (route, _) = await admin.GetRouteAsync();
        return route.GetProperty("sync").GetProperty("stale").GetBoolean();
    }
}
