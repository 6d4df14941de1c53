using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
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
        var calls = new ConcurrentDictionary<string, int>();
        using var listener = CallsByInstance(fleet, calls);

        await leader.StartRolloutAsync(HookedRollouts.Plan(
            [new { weight = 30, pause = "00:10:00" }, new { weight = 100 }],
            HookedRollouts.Hook("board", "confirm-rollout", receiver.At("board")),
            HookedRollouts.Hook("go", "confirm-rollout", null)));
        await Eventually.TrueAsync(() => receiver.Calls.Count >= 3, "the leader did not ask the gate every interval");
        var seen = await follower.WaitForAsync(r => r.Gate() == "board", "the follower's view of the gate");
        Assert.Equal(("Waiting", "gw-a"), (seen.Phase(), seen.GetProperty("leader").GetString()));
        Assert.True(calls.GetValueOrDefault("gw-a") >= 2, $"the leader counted {calls.GetValueOrDefault("gw-a")} calls");
        Assert.Equal(0, calls.GetValueOrDefault("gw-b"));

        open = true;
        await follower.WaitForAsync(r => r.Gate() == "go", "the manual gate after the board's 2xx");
        using var approved = await follower.ApproveAsync("relayed approval");

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var rollout = await approved.ReadJsonAsync();
        Assert.Equal(("Progressing", "gw-a"), (rollout.Phase(), rollout.GetProperty("leader").GetString()));
        Assert.Contains("manual confirm-rollout gate 'go' before the first step approved by ops: relayed approval", rollout.Events());
        Assert.Equal("blue=70, canary=30", (await follower.WaitForAsync(r => r.Weights() == "blue=70, canary=30", "the step on the follower")).Weights());
    }

    // The in-process instances share one process's meters by name: each instance's calls are told apart by its meter factory.
    private static MeterListener CallsByInstance(GatewayFleet fleet, ConcurrentDictionary<string, int> calls)
    {
        var factories = fleet.Instances.Select((i, n) => (Factory: i.Services.GetRequiredService<IMeterFactory>(), Name: "gw-" + (char)('a' + n))).ToArray();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "proxy.rollout.webhooks" && factories.FirstOrDefault(f => ReferenceEquals(f.Factory, instrument.Meter.Scope)).Name is { } name)
                {
                    l.EnableMeasurementEvents(instrument, name);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, state) => calls.AddOrUpdate((string)state!, (int)value, (_, c) => c + (int)value));
        listener.Start();
        return listener;
    }
}
