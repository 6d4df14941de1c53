using System.Net;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Health;

namespace Proxy.FunctionalTests.Admin;

public class PromoteAndIsolateTests
{
    private static object Split(decimal canary) => Splits.Route("blue", new() { ["blue"] = 100 - canary, ["canary"] = canary });

    [Fact]
    public async Task Promote_is_refused_for_a_cluster_without_healthy_destinations_and_accepted_with_force()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(10), c => TestEnvironment.ActiveHealthChecks(c, TimeSpan.FromMilliseconds(200)));
        using var admin = env.CreateAdminClient();
        env.Upstream("canary").Faults.Healthy = false;
        await Eventually.TrueAsync(() => env.Health.GetStatus("canary").HealthyDestinations == 0, "active health did not see the canary fail");

        using var refused = await admin.PostAsync("api/routes/shop/promote", new { cluster = "canary" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("0 of 1 destinations healthy", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (unchanged, etag) = await admin.GetRouteAsync();
        Assert.Equal(("blue", "\"1\""), (unchanged.GetProperty("stable").GetString(), etag));

        using var forced = await admin.PostAsync("api/routes/shop/promote", new { cluster = "canary", force = true, reason = "we know" });

        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var promoted = await forced.ReadJsonAsync();
        Assert.Equal(("canary", "blue=0, canary=100"), (promoted.GetProperty("stable").GetString(), promoted.Weights()));
    }

    [Fact]
    public async Task Promote_is_refused_for_an_isolated_cluster()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(10));
        using var admin = env.CreateAdminClient();
        (await admin.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" })).EnsureSuccessStatusCode();

        using var refused = await admin.PostAsync("api/routes/shop/promote", new { cluster = "canary" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(1, env.Revision("shop"));
    }

    [Fact]
    public async Task Isolate_takes_a_cluster_out_of_rotation_until_reset_without_a_new_revision()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(100));
        using var admin = env.CreateAdminClient();
        using var client = env.CreateClient(cookies: false);

        using var isolated = await admin.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" });

        isolated.EnsureSuccessStatusCode();
        Assert.Equal("Isolated", (await isolated.ReadJsonAsync()).GetProperty("breaker").GetString());
        Assert.Equal("blue", await client.GetVersionAsync());
        var (route, etag) = await admin.GetRouteAsync();
        Assert.Equal(("blue=0, canary=100", "blue=100, canary=0", "\"1\""), (route.Weights(), route.Weights("effectiveWeights"), etag));
        Assert.Contains("bad build (isolated by ops)", route.GetProperty("clusters")[1].GetProperty("reason").GetString(), StringComparison.Ordinal);

        using var reset = await admin.PostAsync("api/clusters/canary/reset");

        reset.EnsureSuccessStatusCode();
        Assert.Equal(BreakerState.Closed, env.Health.GetStatus("canary").Breaker);
        Assert.Equal("canary", await client.GetVersionAsync());
    }

    [Theory]
    [InlineData("api/clusters/ghost/isolate")]
    [InlineData("api/clusters/ghost/reset")]
    public async Task An_unknown_cluster_is_a_404(string path)
    {
        await using var env = await TestEnvironment.StartAsync(["blue"], Splits.Route("blue", new() { ["blue"] = 100 }));
        using var admin = env.CreateAdminClient();

        using var response = await admin.PostAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
