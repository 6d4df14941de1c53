using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Rollouts;
using Proxy.FunctionalTests.Rollouts.Webhooks;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.FunctionalTests.ScaleOut;

/// <summary>Rollout gates in a fleet of two sharing Redis: only the leader calls hooks, and an approval given to the other instance is relayed to it.</summary>
public sealed class FleetGateTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task Only_the_leader_calls_the_hooks_and_an_approval_given_to_the_follower_is_relayed_to_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var open = false;
        receiver.Answer = _ => open ? WebhookAnswer.Ok : new WebhookAnswer(423, "freeze");
        await using var fleet = await GatewayFleet.StartAsync(redis, 2, resyncInterval: TimeSpan.FromSeconds(1));
        using var leader = fleet.Instances[0].CreateAdminClient();
        using var follower = fleet.Instances[1].CreateAdminClient();
        // The in-process instances share the process's meters by name: each instance's calls are told apart by its meter factory.
        using var leaderCalls = Calls(fleet.Instances[0]);
        using var followerCalls = Calls(fleet.Instances[1]);

        await leader.StartRolloutAsync(HookedRollouts.Plan(
            [new { weight = 30, pause = "00:10:00" }, new { weight = 100 }],
            HookedRollouts.Hook("board", "confirm-rollout", receiver.At("board")),
            HookedRollouts.Hook("go", "confirm-rollout", null)));
        await Eventually.TrueAsync(() => receiver.Calls.Count >= 3, "the leader did not ask the gate every interval");
        var seen = await follower.WaitForAsync(r => r.Gate() == "board", "the follower's view of the gate");
        Assert.Equal(("Waiting", "gw-a"), (seen.Phase(), seen.GetProperty("leader").GetString()));
        Assert.True(leaderCalls.GetMeasurementSnapshot().Sum(m => m.Value) >= 2, "the leader did not count its calls");
        Assert.Empty(followerCalls.GetMeasurementSnapshot());

        open = true;
        await follower.WaitForAsync(r => r.Gate() == "go", "the manual gate after the board's 2xx");
        using var approved = await follower.ApproveAsync("relayed approval");

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var rollout = await approved.ReadJsonAsync();
        Assert.Equal(("Progressing", "gw-a"), (rollout.Phase(), rollout.GetProperty("leader").GetString()));
        Assert.Contains("manual confirm-rollout gate 'go' before the first step approved by ops: relayed approval", rollout.Events());
        Assert.Equal("blue=70, canary=30", (await follower.WaitForAsync(r => r.Weights() == "blue=70, canary=30", "the step on the follower")).Weights());
    }

    private static MetricCollector<long> Calls(TestEnvironment instance) =>
        new(instance.Services.GetRequiredService<IMeterFactory>(), Proxy.Traffic.Telemetry.TrafficTelemetry.MeterName, "proxy.rollout.webhooks");
}
