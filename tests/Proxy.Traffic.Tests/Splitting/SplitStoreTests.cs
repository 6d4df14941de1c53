using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;
using Proxy.Traffic.Tests.State;

namespace Proxy.Traffic.Tests.Splitting;

public class SplitStoreTests
{
    private static readonly SplitEdit ApiEdit = new(SplitActions.SetWeights, "ci", SplitChangeSource.Api, "canary looks good");

    private static SplitDefinition Split(int canary) =>
        new("blue", [new("blue", BasisPoints.Total - canary), new("canary", canary)], null, []);

    private static Dictionary<string, SplitDefinition> Routes(params (string Id, SplitDefinition Split)[] routes) =>
        routes.ToDictionary(r => r.Id, r => r.Split);

    [Fact]
    public async Task Replace_keeps_the_revision_of_an_unchanged_route_and_bumps_a_changed_one()
    {
        var store = new SplitStore();
        await store.ReplaceAsync(Routes(("a", Split(1000)), ("b", Split(0))), default);

        var changes = await store.ReplaceAsync(Routes(("a", Split(1000)), ("b", Split(500))), default);

        Assert.Equal("b", Assert.Single(changes).RouteId);
        Assert.True(store.TryGetSnapshot("a", out var a));
        Assert.True(store.TryGetSnapshot("b", out var b));
        Assert.Equal((1, 2), (a.Revision, b.Revision));
    }

    [Fact]
    public async Task Replace_removes_routes_that_are_gone()
    {
        var store = new SplitStore();
        await store.ReplaceAsync(Routes(("a", Split(0))), default);

        var change = Assert.Single(await store.ReplaceAsync(Routes(), default));

        Assert.Null(change.Current);
        Assert.False(store.TryGetSnapshot("a", out _));
    }

    [Fact]
    public async Task Update_swaps_in_a_new_revision_and_raises_changed()
    {
        var store = new SplitStore();
        await store.ReplaceAsync(Routes(("a", Split(0))), default);
        SplitChange? raised = null;
        store.Changed += c => raised = c;

        var result = await store.UpdateAsync("a", ApiEdit, s => SplitProposal.To(s.Definition.WithWeights([new("blue", 5000), new("canary", 5000)])), default);

        Assert.Equal(SplitUpdateOutcome.Applied, result.Outcome);
        Assert.Same(result.Current, raised?.Current);
        Assert.Equal(2, result.Current!.Revision);
        Assert.True(store.TryGetSnapshot("a", out var current));
        Assert.Equal(5000, current.Definition.WeightOf("canary"));
    }

    [Fact]
    public async Task Update_with_a_stale_expected_revision_changes_nothing()
    {
        var store = new SplitStore();
        await store.ReplaceAsync(Routes(("a", Split(0))), default);
        await store.UpdateAsync("a", ApiEdit, s => SplitProposal.To(Split(1000)), default);

        var result = await store.UpdateAsync("a", ApiEdit with { ExpectedRevision = 1 }, s => SplitProposal.To(Split(5000)), default);

        Assert.Equal(SplitUpdateOutcome.RevisionMismatch, result.Outcome);
        Assert.True(store.TryGetSnapshot("a", out var current));
        Assert.Equal((2, 1000), (current.Revision, current.Definition.WeightOf("canary")));
    }

    [Fact]
    public async Task A_change_the_repository_refuses_is_never_in_force()
    {
        var repository = new OutageRepository();
        var store = new SplitStore(new RuntimeStateStore(repository, TimeProvider.System));
        await store.ReplaceAsync(Routes(("a", Split(0))), default);
        repository.FailCommits = true;

        await Assert.ThrowsAsync<IOException>(() => store.UpdateAsync("a", ApiEdit, s => SplitProposal.To(Split(1000)), default));

        Assert.True(store.TryGetSnapshot("a", out var current));
        Assert.Equal((1, 0), (current.Revision, current.Definition.WeightOf("canary")));
    }

    [Fact]
    public async Task Every_change_is_recorded_with_time_actor_action_weights_and_reason()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var store = new SplitStore(new RuntimeStateStore(new InMemoryStateRepository(), time));
        await store.ReplaceAsync(Routes(("a", Split(0))), default);
        time.Advance(TimeSpan.FromMinutes(5));

        await store.UpdateAsync("a", ApiEdit, s => SplitProposal.To(Split(1000)), default);

        var history = await store.GetHistoryAsync("a", 10, default);
        Assert.Equal([2, 1], history.Select(h => h.Revision));
        var change = history[0];
        Assert.Equal((time.GetUtcNow(), "ci", SplitActions.SetWeights, SplitChangeSource.Api, "canary looks good"), (change.At, change.Actor, change.Action, change.Source, change.Reason));
        Assert.Equal(SplitState.Of(Split(0)), change.Before);
        Assert.Equal(SplitState.Of(Split(1000)), change.After);
        Assert.Equal((SplitActions.ConfigActor, SplitActions.Config, null), (history[1].Actor, history[1].Action, history[1].Before));
    }

    [Fact]
    public async Task Undo_restores_the_previous_revisions_split_as_a_new_revision()
    {
        var store = new SplitStore();
        await store.ReplaceAsync(Routes(("a", Split(0))), default);
        await store.UpdateAsync("a", ApiEdit, s => SplitProposal.To(Split(2500)), default);

        var result = await store.UndoAsync("a", ApiEdit with { Action = SplitActions.Undo }, default);

        Assert.Equal(SplitUpdateOutcome.Applied, result.Outcome);
        Assert.Equal((3, 0), (result.Current!.Revision, result.Current.Definition.WeightOf("canary")));
    }

    [Fact]
    public async Task Undo_of_the_first_revision_is_refused()
    {
        var store = new SplitStore();
        await store.ReplaceAsync(Routes(("a", Split(0))), default);

        var result = await store.UndoAsync("a", ApiEdit with { Action = SplitActions.Undo }, default);

        Assert.Equal(SplitUpdateOutcome.Refused, result.Outcome);
        Assert.Equal(1, result.Current!.Revision);
    }
}
