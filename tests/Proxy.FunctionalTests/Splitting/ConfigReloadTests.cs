using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Configuration;

namespace Proxy.FunctionalTests.Splitting;

public class ConfigReloadTests
{
    [Fact]
    public async Task Editing_the_file_under_load_changes_the_split_without_failing_a_request()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }));
        using var client = env.CreateClient(cookies: false);

        var (servedAfterReload, failures) = await ChangeUnderLoad.RunAsync(
            client, () => env.ReloadAsync(Splits.Route("blue", new() { ["blue"] = 0, ["canary"] = 100 })));

        Assert.Empty(failures);
        Assert.Equal(["canary"], servedAfterReload.Keys);
    }

    [Fact]
    public async Task An_invalid_edit_is_refused_and_traffic_stays_on_the_last_good_split()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 0, ["canary"] = 100 }));
        using var client = env.CreateClient(cookies: false);
        var revision = env.Revision("shop");

        await env.WriteConfigAsync(Splits.Route("blue", new() { ["blue"] = 50, ["canary"] = 49.99m }));
        await Eventually.TrueAsync(() => env.ConfigState.RefusedAt is not null, "the invalid file was not noticed");

        Assert.Equal(["TrafficSplit:Routes:shop:Weights: weights sum to 99.99; they must sum to exactly 100"], env.ConfigState.RefusalErrors);
        Assert.Equal(revision, env.Revision("shop"));
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal("canary", await client.GetVersionAsync());
        }

        // A good file afterwards is applied and clears the refusal.
        await env.ReloadAsync(Splits.Route("blue", new() { ["blue"] = 100, ["canary"] = 0 }));
        Assert.Null(env.ConfigState.RefusedAt);
        Assert.Equal("blue", await client.GetVersionAsync());
    }

    [Fact]
    public async Task An_invalid_file_at_start_up_is_refused_with_every_error()
    {
        var bad = new
        {
            Routes = new Dictionary<string, object>
            {
                ["shop"] = new { Weights = new Dictionary<string, decimal> { ["blue"] = 90.001m, ["ghost"] = 10 } },
            },
        };

        var error = await Assert.ThrowsAsync<TrafficSplitConfigurationException>(() => TestEnvironment.StartAsync(["blue"], bad));

        Assert.Equal(
            [
                "TrafficSplit:Routes:shop:Stable: the stable cluster is required",
                "TrafficSplit:Routes:shop:Weights:blue: weight 90.001 must be between 0 and 100 with at most two decimals",
                "TrafficSplit:Routes:shop:Weights:ghost: cluster 'ghost' is not defined under ReverseProxy:Clusters",
                "TrafficSplit:Routes:shop:Weights: weights sum to 100.001; they must sum to exactly 100",
            ],
            error.Errors);
    }
}
