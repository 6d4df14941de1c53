using System.Net;
using System.Net.Http.Json;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Mirroring;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>Two gateways on one Redis: a mirror set or removed through one instance's admin API is in force on the other.</summary>
public sealed class SharedMirrorTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const string Mirror = "api/routes/shop/mirror";

    [Fact]
    public async Task A_mirror_set_on_one_instance_mirrors_requests_through_the_other()
    {
        // A re-read interval longer than the test: only the announcement can bring the mirror to B.
        await using var fleet = await GatewayFleet.StartAsync(redis, 2, resyncInterval: TimeSpan.FromMinutes(5));
        var (a, b) = (fleet.Instances[0], fleet.Instances[1]);
        using var adminA = a.CreateAdminClient();
        using var adminB = b.CreateAdminClient();
        var copies = b.Upstream("canary");

        using (var put = await adminA.PutAsJsonAsync(Mirror, new { cluster = "canary", percentage = 100, reason = "dark launch of canary" }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await Eventually.TrueAsync(() => b.MirrorStore().TryGet("shop", out var route) && route.Source == MirrorSource.Api, "B did not put A's mirror in force");
        using (var client = b.CreateClient(cookies: false))
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal("blue", await client.GetVersionAsync());
            }
        }

        await Eventually.TrueAsync(() => copies.Stats.Total == 10, $"B's canary received {copies.Stats.Total} copies, not 10");
        var onB = await (await adminB.GetAsync(Mirror)).ReadJsonAsync();
        Assert.Equal("api", onB.GetProperty("source").GetString());
        var history = await (await adminB.GetAsync(Mirror + "/history")).ReadJsonAsync();
        Assert.Equal("dark launch of canary", history[0].GetProperty("reason").GetString());

        // Turned off through B: A stops mirroring.
        (await adminB.DeleteAsync(Mirror)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => !a.MirrorStore().TryGet("shop", out _), "A kept mirroring after B turned the mirror off");
        var onA = await (await adminA.GetAsync(Mirror)).ReadJsonAsync();
        Assert.False(onA.GetProperty("enabled").GetBoolean());
    }
}
