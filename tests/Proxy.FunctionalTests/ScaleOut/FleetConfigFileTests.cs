using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.State;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>Two gateways on one Redis: what happens to one instance's configuration file never takes the other's split away.</summary>
public sealed class FleetConfigFileTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task One_instance_losing_its_file_for_seconds_leaves_both_splits_as_they_were()
    {
        await using var fleet = await FleetWithRuntimeSplitAsync();
        var (a, b) = (fleet.Instances[0], fleet.Instances[1]);
        var revision = b.Revision("shop");

        var moved = a.ConfigFile + ".away";
        File.Move(a.ConfigFile, moved);
        await Eventually.TrueAsync(() => a.ConfigState.Refusal is not null, "A did not refuse its missing file");
        await WaitForResyncAsync(b);
        File.Move(moved, a.ConfigFile);
        await Eventually.TrueAsync(() => a.ConfigState.Refusal is null, "A did not notice its file's return");
        await WaitForResyncAsync(b);

        foreach (var instance in fleet.Instances)
        {
            Assert.Equal(revision, instance.Revision("shop"));
            using var admin = instance.CreateAdminClient();
            Assert.Equal("blue=50, canary=50", (await admin.GetRouteAsync()).Route.Weights());
        }
    }

    [Fact]
    public async Task A_split_removed_from_one_instance_file_stays_in_force_on_the_other()
    {
        await using var fleet = await FleetWithRuntimeSplitAsync();
        var (a, b) = (fleet.Instances[0], fleet.Instances[1]);
        using var adminB = b.CreateAdminClient();
        var revision = b.Revision("shop");

        await a.WriteConfigAsync(new { Routes = new Dictionary<string, object>() });
        await Eventually.TrueAsync(() => !a.Splits.TryGetSnapshot("shop", out _), "A did not apply its file without the split");
        await WaitForResyncAsync(b);

        Assert.True(b.Splits.TryGetSnapshot("shop", out var split), "B lost its split because A's file dropped it");
        Assert.Equal(revision, split.Revision);
        Assert.Equal("blue=50, canary=50", (await adminB.GetRouteAsync()).Route.Weights());
    }

    // Two instances, and an operator's 50/50 made through B that A has applied too.
    private async Task<GatewayFleet> FleetWithRuntimeSplitAsync()
    {
        var fleet = await GatewayFleet.StartAsync(redis, 2, resyncInterval: TimeSpan.FromMilliseconds(200));
        try
        {
            var (a, b) = (fleet.Instances[0], fleet.Instances[1]);
            using var adminB = b.CreateAdminClient();
            (await adminB.PutWeightsAsync(new { blue = 50, canary = 50 })).EnsureSuccessStatusCode();
            await Eventually.TrueAsync(() => a.Revision("shop") == b.Revision("shop"), "A did not apply B's weights");
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    // B has re-read the shared state at least once after now (its re-read interval is 200 ms).
    private static Task WaitForResyncAsync(TestEnvironment instance)
    {
        var status = instance.Services.GetRequiredService<StateSyncStatus>();
        var now = DateTimeOffset.UtcNow;
        return Eventually.TrueAsync(() => status.LastSyncAt > now.AddMilliseconds(50), "the instance did not re-read the shared state");
    }
}
