using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Splitting;

/// <summary>How the configuration file and persisted runtime changes meet, across restarts (a new store on the same repository).</summary>
public class ConfigMergeRuleTests
{
    private static readonly SplitEdit ApiEdit = new(SplitActions.SetWeights, "ci", SplitChangeSource.Api);
    private readonly InMemoryStateRepository _repository = new();

    private static Dictionary<string, SplitDefinition> File(int canary, StickySettings? sticky = null) =>
        new() { ["shop"] = new("blue", [new("blue", BasisPoints.Total - canary), new("canary", canary)], sticky, []) };

    private SplitStore Start() => new(new RuntimeStateStore(_repository, TimeProvider.System));

    // A first gateway run: the file gives canary 10%, then the API raises it to 25%.
    private async Task RunWithRuntimeChangeAsync()
    {
        var first = Start();
        await first.ReplaceAsync(File(1000), default);
        await first.UpdateAsync("shop", ApiEdit, s => SplitProposal.To(s.Definition.WithWeights([new("blue", 7500), new("canary", 2500)])), default);
    }

    private static SplitSnapshot Current(SplitStore store) => store.TryGetSnapshot("shop", out var s) ? s : throw new InvalidOperationException("no split");

    [Fact]
    public async Task Runtime_changes_survive_a_restart_while_the_file_is_unchanged()
    {
        await RunWithRuntimeChangeAsync();

        var second = Start();
        var change = Assert.Single(await second.ReplaceAsync(File(1000), default));

        Assert.Equal(SplitChangeSource.Restored, change.Source);
        Assert.Equal((2, 2500), (Current(second).Revision, Current(second).Definition.WeightOf("canary")));
        Assert.Equal(2, (await second.GetHistoryAsync("shop", 10, default)).Count);
    }

    [Fact]
    public async Task A_changed_file_wins_over_runtime_changes_and_records_what_it_replaced()
    {
        await RunWithRuntimeChangeAsync();

        var second = Start();
        await second.ReplaceAsync(File(500), default);

        Assert.Equal((3, 500), (Current(second).Revision, Current(second).Definition.WeightOf("canary")));
        var latest = (await second.GetHistoryAsync("shop", 1, default))[0];
        Assert.Equal((SplitActions.Config, 2500, 500), (latest.Action, latest.Before!.Weights[1].BasisPoints, latest.After!.Weights[1].BasisPoints));
        Assert.Contains("replaces the runtime split", latest.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reload_with_the_same_file_split_keeps_runtime_weights_and_takes_new_sticky_rules()
    {
        var store = Start();
        await store.ReplaceAsync(File(1000), default);
        await store.UpdateAsync("shop", ApiEdit, s => SplitProposal.To(s.Definition.WithWeights([new("blue", 7500), new("canary", 2500)])), default);

        await store.ReplaceAsync(File(1000, new StickySettings("X-User", null, "proxy-variant", TimeSpan.FromDays(1))), default);

        Assert.Equal((3, 2500), (Current(store).Revision, Current(store).Definition.WeightOf("canary")));
        Assert.NotNull(Current(store).Definition.Sticky);
    }

    [Fact]
    public async Task A_route_removed_from_the_file_while_down_is_recorded_and_its_revisions_keep_counting()
    {
        var first = Start();
        await first.ReplaceAsync(File(1000), default);

        var second = Start();
        var removed = Assert.Single(await second.ReplaceAsync(new Dictionary<string, SplitDefinition>(), default));
        await second.ReplaceAsync(File(0), default);

        Assert.Null(removed.Current);
        Assert.Equal(3, Current(second).Revision);
        Assert.Equal([SplitActions.Config, SplitActions.Remove, SplitActions.Config], (await second.GetHistoryAsync("shop", 10, default)).Select(h => h.Action).Reverse());
    }
}
