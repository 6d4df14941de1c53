using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Events;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>Two gateways on one Redis: a change made through one reaches the other's event stream, with its actor and reason.</summary>
public sealed class FleetEventStreamTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task A_weight_change_and_an_isolation_made_through_one_instance_are_events_on_the_others_stream()
    {
        // A re-read interval longer than the test: the pub/sub notification alone brings the change.
        await using var fleet = await GatewayFleet.StartAsync(redis, 2, resyncInterval: TimeSpan.FromMinutes(5));
        var (a, b) = (fleet.Instances[0], fleet.Instances[1]);
        using var admin = a.CreateAdminClient();
        await using var events = await EventStreamReader.OpenAsync(b.AdminAddress, TestEnvironment.ViewerKey, "?route=shop&kinds=split,breaker");

        (await admin.PutWeightsAsync(new { blue = 60, canary = 40 }, reason: "through a")).EnsureSuccessStatusCode();
        var (_, split) = await events.NextOfKindAsync(ProxyEventKinds.Split);
        (await admin.PostAsync("api/clusters/canary/isolate", new { reason = "bad build" })).EnsureSuccessStatusCode();
        var (_, breaker) = await events.NextOfKindAsync(ProxyEventKinds.Breaker, timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(("remote", "ops", "through a"), (split.GetProperty("via").GetString(), split.GetProperty("actor").GetString(), split.GetProperty("reason").GetString()));
        Assert.Equal("""{"blue":60,"canary":40}""", split.GetProperty("after").GetProperty("weights").GetRawText());
        Assert.Equal(("canary", "Isolated"), (breaker.GetProperty("cluster").GetString(), breaker.GetProperty("to").GetString()));
    }
}
