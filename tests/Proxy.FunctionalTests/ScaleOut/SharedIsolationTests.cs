using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Health;
using Proxy.Traffic.State;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>Gateways on one Redis: an operator's isolation or reset through one instance holds on every instance.</summary>
public sealed class SharedIsolationTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task A_cluster_isolated_through_one_instance_gets_no_traffic_through_the_others_until_reset()
    {
        // A re-read interval longer than the test: only the announcement (or a start-up) can bring the isolation elsewhere.
        await using var fleet = await GatewayFleet.StartAsync(redis, 2, resyncInterval: TimeSpan.FromMinutes(5));
        var (a, b) = (fleet.Instances[0], fleet.Instances[1]);
        using var adminA = a.CreateAdminClient();
        using var adminB = b.CreateAdminClient();
        (await adminA.PutWeightsAsync(new { blue = 0, canary = 100 })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => b.Revision("shop") == a.Revision("shop"), "B did not apply A's weights");

        (await adminA.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" })).EnsureSuccessStatusCode();

        await Eventually.TrueAsync(() => b.Health.GetStatus("canary").Breaker == BreakerState.Isolated, "B did not isolate the cluster A isolated");
        Assert.Equal("bad build (isolated by ops)", b.Health.GetStatus("canary").Reason);
        using (var clientB = b.CreateClient(cookies: false))
        {
            Assert.Equal(new Dictionary<string, int> { ["blue"] = 20 }, await Load.RunAsync(clientB, requests: 20, parallelism: 2));
        }

        // An instance that joins later starts with the isolation in force.
        var c = await fleet.AddInstanceAsync();
        Assert.Equal(BreakerState.Isolated, c.Health.GetStatus("canary").Breaker);

        (await adminB.PostAsync("api/clusters/canary/reset")).EnsureSuccessStatusCode();

        await Eventually.TrueAsync(
            () => a.Health.GetStatus("canary").Breaker == BreakerState.Closed && c.Health.GetStatus("canary").Breaker == BreakerState.Closed,
            "A and C kept the cluster isolated after B reset it");
        using var clientA = a.CreateClient(cookies: false);
        Assert.Equal(new Dictionary<string, int> { ["canary"] = 20 }, await Load.RunAsync(clientA, requests: 20, parallelism: 2));
    }

    [Fact]
    public async Task With_redis_down_isolate_answers_503_and_no_instance_changes()
    {
        using var server = RedisServer.Durable();
        await using var fleet = await GatewayFleet.StartAsync(server, 2, resyncInterval: TimeSpan.FromMilliseconds(200));
        var (a, b) = (fleet.Instances[0], fleet.Instances[1]);
        using var adminA = a.CreateAdminClient();

        server.Stop();
        await Eventually.TrueAsync(() => IsStale(a) && IsStale(b), "the instances did not notice that Redis is down");
        using var refused = await adminA.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("The shared state store cannot be reached", (await refused.ReadJsonAsync()).GetProperty("title").GetString());
        Assert.Equal((BreakerState.Closed, BreakerState.Closed), (a.Health.GetStatus("canary").Breaker, b.Health.GetStatus("canary").Breaker));

        // Nothing was committed: once Redis is back the fleet resyncs and the cluster stays in rotation.
        server.Start();
        await Eventually.TrueAsync(() => !IsStale(a) && !IsStale(b), "the instances did not resync after Redis returned");
        Assert.Equal((BreakerState.Closed, BreakerState.Closed), (a.Health.GetStatus("canary").Breaker, b.Health.GetStatus("canary").Breaker));
        (await adminA.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => b.Health.GetStatus("canary").Breaker == BreakerState.Isolated, "B did not isolate the cluster once Redis was back");
    }

    [Fact]
    public async Task A_redis_restarted_empty_gets_the_isolation_back_from_the_fleet_and_no_instance_lifts_it()
    {
        using var empty = new RedisServer();
        await using var fleet = await GatewayFleet.StartAsync(empty, 2, resyncInterval: TimeSpan.FromMilliseconds(200));
        var (a, b) = (fleet.Instances[0], fleet.Instances[1]);
        using var adminA = a.CreateAdminClient();
        (await adminA.PutWeightsAsync(new { blue = 0, canary = 100 })).EnsureSuccessStatusCode();
        (await adminA.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => b.Health.GetStatus("canary").Breaker == BreakerState.Isolated, "B did not isolate the cluster A isolated");

        empty.Stop();
        empty.Start();

        var repository = b.Services.GetRequiredService<IStateRepository>();
        await Eventually.TrueAsync(
            async () => await TryLoadAsync(repository) is [{ ClusterId: "canary", Reason: "bad build", Actor: "ops" }],
            "the fleet did not write the isolation back to the Redis that came back empty");
        foreach (var instance in fleet.Instances)
        {
            Assert.Equal(BreakerState.Isolated, instance.Health.GetStatus("canary").Breaker);
            using var client = instance.CreateClient(cookies: false);
            Assert.Equal(new Dictionary<string, int> { ["blue"] = 20 }, await Load.RunAsync(client, requests: 20, parallelism: 2));
        }
    }

    private static async Task<IReadOnlyList<ManualIsolation>> TryLoadAsync(IStateRepository repository)
    {
        try
        {
            return [.. (await repository.LoadAsync(default)).Settings.Where(s => s.Key.Kind == SettingKinds.Isolation).Select(IsolationSetting.Read).OfType<ManualIsolation>()];
        }
        catch (StateUnavailableException)
        {
            return [];
        }
    }

    private static bool IsStale(TestEnvironment instance) => instance.Services.GetRequiredService<StateSyncStatus>().IsStale;
}
