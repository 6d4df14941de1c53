using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.Traffic.Tests.Splitting;

/// <summary>Split stores of several instances on a real Redis that is restarted without persistence and comes back empty.</summary>
public sealed class SplitStateRebuildTests : IDisposable
{
    private static readonly Dictionary<string, SplitDefinition> File = new() { ["shop"] = Split(0) };

    private readonly RedisServer _redis = new();
    private readonly RedisConnections _connections = new();
    private readonly string _prefix = "fleet-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task The_first_instance_to_find_the_state_gone_rebuilds_it_and_the_others_take_it()
    {
        var (a, b) = (await StartAsync(), await StartAsync());
        await SetCanary(a, 2500);
        await b.SyncAsync(default);
        var recoveries = new List<(string Instance, StateRecovery Recovery)>();
        a.State.Recovered += r => recoveries.Add(("a", r));
        b.State.Recovered += r => recoveries.Add(("b", r));

        await RestartEmptyAsync();
        await a.SyncAsync(default);
        await b.SyncAsync(default);

        Assert.Equal(["a", "b"], recoveries.Select(r => r.Instance));
        Assert.Equal([("shop", 2L, 2500)], recoveries[0].Recovery.RebuiltSplits.Select(r => (r.RouteId, r.Revision, r.Current!.Weights[1].BasisPoints)));
        Assert.False(recoveries[1].Recovery.RebuiltHere);
        Assert.All(new[] { a, b }, s => Assert.Equal((2L, 2500), (InForce(s).Revision, InForce(s).Definition.WeightOf("canary"))));

        // Writes work again, with revisions going on from the rebuilt ones.
        var result = await SetCanary(b, 5000, ifMatch: 2);
        Assert.Equal((SplitUpdateOutcome.Applied, 3L), (result.Outcome, result.Current!.Revision));
        await a.SyncAsync(default);
        Assert.Equal((3L, 5000), (InForce(a).Revision, InForce(a).Definition.WeightOf("canary")));
        Assert.Equal(2, recoveries.Count);
    }

    [Fact]
    public async Task A_write_that_is_the_first_to_find_the_state_gone_rebuilds_it_and_applies_on_top()
    {
        var (a, b) = (await StartAsync(), await StartAsync());
        await SetCanary(a, 2500);
        await b.SyncAsync(default);
        StateRecovery? recovery = null;
        b.State.Recovered += r => recovery = r;

        await RestartEmptyAsync();
        var result = await SetCanary(b, 5000, ifMatch: 2);

        Assert.Equal((SplitUpdateOutcome.Applied, 3L), (result.Outcome, result.Current!.Revision));
        Assert.True(recovery!.RebuiltHere);
        await a.SyncAsync(default);
        Assert.Equal((3L, 5000), (InForce(a).Revision, InForce(a).Definition.WeightOf("canary")));
    }

    [Fact]
    public async Task A_state_recreated_from_a_file_before_the_fleet_noticed_is_followed_not_overwritten()
    {
        var a = await StartAsync();
        await SetCanary(a, 2500);
        StateRecovery? recovery = null;
        a.State.Recovered += r => recovery = r;

        await RestartEmptyAsync();
        var late = await StartAsync();
        await a.SyncAsync(default);

        Assert.False(recovery!.RebuiltHere);
        Assert.Equal((1L, 0), (InForce(a).Revision, InForce(a).Definition.WeightOf("canary")));
        Assert.Equal((SplitUpdateOutcome.Applied, 2L), ((await SetCanary(a, 1000, ifMatch: 1)).Outcome, InForce(a).Revision));
        await late.SyncAsync(default);
        Assert.Equal(2L, InForce(late).Revision);
    }

    public void Dispose()
    {
        _connections.Dispose();

        _redis.Dispose();
    }

    private async Task<SplitStore> StartAsync()
    {
        var connection = _connections.Open(new RedisStateOptions { Configuration = _redis.Configuration, KeyPrefix = _prefix });
        var store = new SplitStore(new RuntimeStateStore(new RedisStateRepository(connection), TimeProvider.System));
        await _connections.WaitAnsweringAsync();
        await store.ReplaceAsync(File, default);
        Assert.False(store.IsDetached);
        return store;
    }

    private async Task RestartEmptyAsync()
    {
        _redis.Stop();
        _redis.Start();
        await _connections.WaitAnsweringAsync();
    }


    private static SplitDefinition Split(int canary) =>
        new("blue", [new("blue", BasisPoints.Total - canary), new("canary", canary)], null, []);

    private static Task<SplitUpdateResult> SetCanary(SplitStore store, int canary, long? ifMatch = null) =>
        store.UpdateAsync(
            "shop",
            new SplitEdit(SplitActions.SetWeights, "ci", SplitChangeSource.Api, null, ifMatch),
            s => SplitProposal.To(s.Definition.WithWeights([new("blue", BasisPoints.Total - canary), new("canary", canary)])),
            default);

    private static SplitSnapshot InForce(SplitStore store) => store.TryGetSnapshot("shop", out var s) ? s : throw new InvalidOperationException("no split");
}
