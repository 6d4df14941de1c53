using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Experiments;
using Proxy.Traffic.Experiments.Counting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Experiments;

/// <summary>Experiments' stops and promotions as a kind of the one runtime-state model: revisioned, audited, caught up by other instances.</summary>
public sealed class ExperimentStoreTests
{
    private readonly InMemoryStateRepository _repository = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T20:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static ExperimentDefinition Definition(string fingerprint = "fingerprint") => new(
        "shop", "checkout", ["blue", "green"], null,
        [ExperimentGoal.From(new GoalOptions { Name = "order", Path = "/api/orders" })], 0, ExperimentSettings.Default,
        new ExperimentUserKey("X-User-Id", null, null), fingerprint);

    [Fact]
    public async Task A_promotion_on_one_instance_stops_counting_on_another_after_a_sync_and_is_audited()
    {
        using var stateA = new RuntimeStateStore(_repository, _time);
        using var stateB = new RuntimeStateStore(_repository, _time);
        var a = new ExperimentStore(stateA, new ExactExperimentCounterFactory());
        var b = new ExperimentStore(stateB, new ExactExperimentCounterFactory());
        await a.ApplyConfiguredAsync([Definition()], default);
        await b.ApplyConfiguredAsync([Definition()], default);

        var stopped = await a.StopAsync("shop", "checkout", "ops", "green", "green wins", [0.5, 0.5], default);
        var runningBeforeSync = b.Current.Find("shop", "checkout")!.IsRunning;
        await stateB.SyncAsync(default);
        var history = await b.GetHistoryAsync("shop", "checkout", 10, default);

        Assert.False(stopped!.IsRunning);
        Assert.True(runningBeforeSync);
        Assert.False(b.Current.Find("shop", "checkout")!.IsRunning);
        var entry = Assert.Single(history);
        Assert.Equal((ExperimentStatus.Promoted, "green", "ops", "green wins"), (entry.State, entry.Arm, entry.Actor, entry.Reason));
        Assert.Equal([0.5, 0.5], entry.Allocation!);
    }

    [Fact]
    public async Task A_changed_declaration_runs_afresh_despite_the_stored_stop()
    {
        using var state = new RuntimeStateStore(_repository, _time);
        var store = new ExperimentStore(state, new ExactExperimentCounterFactory());
        await store.ApplyConfiguredAsync([Definition()], default);
        await store.StopAsync("shop", "checkout", "ops", null, null, [0.5, 0.5], default);

        await store.ApplyConfiguredAsync([Definition("changed")], default);

        Assert.True(store.Current.Find("shop", "checkout")!.IsRunning);
    }
}
