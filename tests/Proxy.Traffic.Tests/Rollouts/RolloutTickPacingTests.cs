using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Coordination;
using Proxy.Traffic.Rollouts.Webhooks;
using Proxy.Traffic.Tests.Rollouts.Webhooks;

namespace Proxy.Traffic.Tests.Rollouts;

/// <summary>
/// The controller's loop on fake time: it looks every 100 ms while it has a rollout to drive and every second while a
/// single instance has nothing to drive, so an idle gateway is not woken ten times a second.
/// </summary>
public class RolloutTickPacingTests
{
    [Fact]
    public async Task A_single_instance_with_nothing_to_drive_looks_every_second_and_a_started_rollout_brings_back_100_ms_at_once()
    {
        using var harness = await new RolloutHarness().WithRouteAsync();
        await harness.Controller.StartAsync(default);
        try
        {
            await UntilAsync(harness, RolloutController.IdleTickPeriod);

            await harness.StartAsync();
            Assert.Equal(RolloutController.TickPeriod, harness.Controller.CurrentTickPeriod);

            harness.Time.Advance(RolloutController.IdleTickPeriod * 3);
            Assert.Equal(RolloutController.TickPeriod, harness.Controller.CurrentTickPeriod); // still running: still every 100 ms

            await harness.Controller.AbortAsync("shop", "ops", default);
            Assert.Equal(RolloutController.IdleTickPeriod, harness.Controller.CurrentTickPeriod);
        }
        finally
        {
            await harness.Controller.StopAsync(default);
        }
    }

    [Fact]
    public async Task A_post_rollout_call_in_flight_keeps_100_ms_until_its_answer_is_in_the_rollout_s_events()
    {
        var hooks = new ScriptedHooks { Answer = _ => null };
        using var harness = await new RolloutHarness(hooks: hooks).WithRouteAsync();
        await harness.Controller.StartAsync(default);
        try
        {
            await UntilAsync(harness, RolloutController.IdleTickPeriod);
            await harness.StartAsync(RolloutHarness.Canary() with { Webhooks = [RolloutGateTests.Hook("cleanup", RolloutWebhookType.PostRollout)] });
            await harness.Controller.AbortAsync("shop", "ops", default);

            Assert.Single(hooks.Calls);
            Assert.Equal(RolloutController.TickPeriod, harness.Controller.CurrentTickPeriod); // the call is in flight

            hooks.Complete(ScriptedHooks.Status(200));
            await hooks.Caller!.WhenIdleAsync();
            Assert.Equal(RolloutController.TickPeriod, harness.Controller.CurrentTickPeriod); // answered, not yet noted

            await harness.Controller.TickAsync(default);
            Assert.Equal("the post-rollout hook 'cleanup' answered 200", harness.Rollout.Events[^1].Message);
            Assert.Equal(RolloutController.IdleTickPeriod, harness.Controller.CurrentTickPeriod);
        }
        finally
        {
            await harness.Controller.StopAsync(default);
        }
    }

    [Fact]
    public async Task Several_instances_keep_100_ms_with_nothing_to_drive_because_every_tick_reads_the_fleet_s_rollouts()
    {
        using var harness = await new RolloutHarness(coordination: new SharedCoordination()).WithRouteAsync();
        await harness.Controller.StartAsync(default);
        try
        {
            await RunningAsync(harness);
            await harness.StartAsync();
            await harness.Controller.AbortAsync("shop", "ops", default);
            await harness.Controller.TickAsync(default);

            Assert.False(harness.Rollout.IsActive);
            Assert.Equal(RolloutController.TickPeriod, harness.Controller.CurrentTickPeriod);
        }
        finally
        {
            await harness.Controller.StopAsync(default);
        }
    }

    // The loop (and its first tick) runs on the thread pool once the hosted service has started: waited for, with a deadline.
    private static async Task UntilAsync(RolloutHarness harness, TimeSpan period)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (harness.Controller.CurrentTickPeriod != period)
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    private static async Task RunningAsync(RolloutHarness harness)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (harness.Controller.CurrentTickPeriod is null)
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    // A single instance's leases that say they are shared, as a fleet's are.
    private sealed class SharedCoordination : IRolloutCoordination
    {
        private readonly SingleInstanceCoordination _inner = new();

        public bool IsShared => true;

        public string Instance => "gw-a";

        public Task<bool> TryLeadAsync(string routeId, CancellationToken cancellationToken) => _inner.TryLeadAsync(routeId, cancellationToken);

        public Task ReleaseAsync(string routeId, CancellationToken cancellationToken) => _inner.ReleaseAsync(routeId, cancellationToken);

        public Task<RolloutCommandReply?> RelayAsync(string routeId, RolloutCommand command, TimeSpan timeout, CancellationToken cancellationToken) =>
            _inner.RelayAsync(routeId, command, timeout, cancellationToken);

        public Task<IReadOnlyList<RolloutCommand>> TakeRelayedAsync(string routeId, CancellationToken cancellationToken) => _inner.TakeRelayedAsync(routeId, cancellationToken);

        public Task ReplyAsync(RolloutCommand command, RolloutCommandReply reply, CancellationToken cancellationToken) => _inner.ReplyAsync(command, reply, cancellationToken);
    }
}
