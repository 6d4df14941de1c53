using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Tests.Splitting;

public class SplitStoreTests
{
    private static SplitDefinition Split(int canary) =>
        new("blue", [new("blue", BasisPoints.Total - canary), new("canary", canary)], null, []);

    [Fact]
    public void Replace_keeps_the_revision_of_an_unchanged_route_and_bumps_a_changed_one()
    {
        var store = new SplitStore();
        store.Replace(new Dictionary<string, SplitDefinition> { ["a"] = Split(1000), ["b"] = Split(0) }, SplitChangeSource.Config);

        var changes = store.Replace(new Dictionary<string, SplitDefinition> { ["a"] = Split(1000), ["b"] = Split(500) }, SplitChangeSource.Config);

        Assert.Equal("b", Assert.Single(changes).RouteId);
        Assert.True(store.TryGetSnapshot("a", out var a));
        Assert.True(store.TryGetSnapshot("b", out var b));
        Assert.Equal((1, 2), (a.Revision, b.Revision));
    }

    [Fact]
    public void Replace_removes_routes_that_are_gone()
    {
        var store = new SplitStore();
        store.Replace(new Dictionary<string, SplitDefinition> { ["a"] = Split(0) }, SplitChangeSource.Config);

        var change = Assert.Single(store.Replace(new Dictionary<string, SplitDefinition>(), SplitChangeSource.Config));

        Assert.Null(change.Current);
        Assert.False(store.TryGetSnapshot("a", out _));
    }

    [Fact]
    public void Update_swaps_in_a_new_revision_and_raises_changed()
    {
        var store = new SplitStore();
        store.Replace(new Dictionary<string, SplitDefinition> { ["a"] = Split(0) }, SplitChangeSource.Config);
        SplitChange? raised = null;
        store.Changed += c => raised = c;

        var change = store.Update("a", s => s.Definition.WithWeights([new("blue", 5000), new("canary", 5000)]), SplitChangeSource.Api);

        Assert.NotNull(change);
        Assert.Same(change, raised);
        Assert.Equal(2, change.Current!.Revision);
        Assert.True(store.TryGetSnapshot("a", out var current));
        Assert.Equal(5000, current.Definition.WeightOf("canary"));
    }
}
