using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Splitting;

public class WeightedSplitTests
{
    [Fact]
    public async Task Ten_thousand_requests_on_a_90_10_split_land_within_one_and_a_half_points()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }));
        using var client = env.CreateClient(cookies: false);

        const int total = 10_000;
        var served = await Load.RunAsync(client, total, parallelism: 8);

        Assert.Equal(total, served.Values.Sum());
        var canaryShare = 100.0 * served.GetValueOrDefault("canary") / total;
        Assert.InRange(canaryShare, 8.5, 11.5);

        // The upstreams agree with what the clients saw.
        Assert.Equal(served["blue"], env.Upstream("blue").Stats.Total);
        Assert.Equal(served["canary"], env.Upstream("canary").Stats.Total);
    }

    [Fact]
    public async Task Override_header_wins_over_weights()
    {
        await using var env = await TestEnvironment.StartAsync(
            ["blue", "green"],
            Splits.Route("blue", new() { ["blue"] = 100, ["green"] = 0 }, overrides: [new { Header = "X-Variant", Values = new Dictionary<string, string> { ["green"] = "green" } }]));
        using var client = env.CreateClient();

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("green", await client.GetVersionAsync("/", r => r.Headers.Add("X-Variant", "green")));
        }

        Assert.Equal("blue", await client.GetVersionAsync());
    }

    [Fact]
    public async Task Served_by_header_names_the_cluster_only_when_switched_on()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 0, ["canary"] = 100 }));
        using var client = env.CreateClient();

        using (var response = await client.GetAsync("/"))
        {
            Assert.False(response.Headers.Contains("X-Proxy-Cluster"));
        }

        await env.WriteConfigAsync(Splits.Route("blue", new() { ["blue"] = 0, ["canary"] = 100 }, servedByHeader: "X-Proxy-Cluster"));
        await Eventually.TrueAsync(() => env.ConfigState.ServedByHeader is not null, "the reload was not applied");

        using (var response = await client.GetAsync("/"))
        {
            Assert.Equal("canary", Assert.Single(response.Headers.GetValues("X-Proxy-Cluster")));
        }
    }
}
