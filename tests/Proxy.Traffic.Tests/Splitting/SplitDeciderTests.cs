using Microsoft.AspNetCore.Http;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Tests.Splitting;

public class SplitDeciderTests
{
    private static readonly OverrideRule VariantHeader = new(OverrideSource.Header, "X-Variant", new Dictionary<string, string> { ["canary"] = "canary" });

    private static SplitSnapshot Snapshot(int canaryBasisPoints, StickySettings? sticky = null, params OverrideRule[] overrides) =>
        new("shop", 1, new SplitDefinition("blue", [new("blue", BasisPoints.Total - canaryBasisPoints), new("canary", canaryBasisPoints)], sticky, overrides));

    private static HttpRequest Request(Action<IHeaderDictionary>? headers = null)
    {
        var context = new DefaultHttpContext();
        headers?.Invoke(context.Request.Headers);
        return context.Request;
    }

    private static SplitDecision Decide(HttpRequest request, SplitSnapshot snapshot) => SplitDecider.Decide(request, snapshot, snapshot.Layout, RandomBucketSource.Shared);

    [Fact]
    public void Weighted_pick_follows_the_weights()
    {
        var snapshot = Snapshot(1000);
        var request = Request();
        var random = RandomBucketSource.Seeded(16);
        var canary = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var decision = SplitDecider.Decide(request, snapshot, snapshot.Layout, random);
            Assert.Equal(SplitDecisionKind.Weight, decision.Kind);
            canary += decision.ClusterIndex;
        }

        Assert.InRange(canary / 1000.0, 9.0, 11.0);
    }

    [Fact]
    public void A_seeded_source_makes_the_weighted_picks_repeat()
    {
        var snapshot = Snapshot(5000);
        var request = Request();
        int[] Picks(RandomBucketSource random) =>
            [.. Enumerable.Range(0, 200).Select(_ => SplitDecider.Decide(request, snapshot, snapshot.Layout, random).ClusterIndex)];

        var first = Picks(RandomBucketSource.Seeded(7));

        Assert.Equal(first, Picks(RandomBucketSource.Seeded(7)));
        Assert.NotEqual(first, Picks(RandomBucketSource.Seeded(8)));
        Assert.Contains(0, first);
        Assert.Contains(1, first);
    }

    [Fact]
    public void Override_header_wins_over_weights_and_compares_values_case_insensitively()
    {
        var snapshot = Snapshot(0, overrides: VariantHeader);

        var decision = Decide(Request(h => h["X-Variant"] = "CANARY"), snapshot);

        Assert.Equal((1, SplitDecisionKind.Override), (decision.ClusterIndex, decision.Kind));
    }

    [Fact]
    public void Override_cookie_forces_its_cluster()
    {
        var rule = new OverrideRule(OverrideSource.Cookie, "beta", new Dictionary<string, string> { ["true"] = "canary" });

        var decision = Decide(Request(h => h.Cookie = "beta=true"), Snapshot(0, overrides: rule));

        Assert.Equal((1, SplitDecisionKind.Override), (decision.ClusterIndex, decision.Kind));
    }

    [Fact]
    public void Unknown_override_value_falls_through_to_weights()
    {
        var decision = Decide(Request(h => h["X-Variant"] = "purple"), Snapshot(0, overrides: VariantHeader));

        Assert.Equal((0, SplitDecisionKind.Weight), (decision.ClusterIndex, decision.Kind));
    }

    [Fact]
    public void Sticky_header_key_maps_to_its_bucket_and_issues_no_cookie()
    {
        var sticky = new StickySettings("X-User-Id", null, "proxy-variant", TimeSpan.FromDays(1));
        var snapshot = Snapshot(5000, sticky);
        var expected = snapshot.Layout.ClusterFor(StickyKeyHasher.BucketOf("user-7"));

        var decision = Decide(Request(h => h["X-User-Id"] = "user-7"), snapshot);

        Assert.Equal(new SplitDecision(expected, SplitDecisionKind.Sticky), decision);
    }

    [Fact]
    public void Sticky_without_a_key_issues_a_new_one_that_decides_the_cluster()
    {
        var snapshot = Snapshot(5000, new StickySettings(null, null, "proxy-variant", TimeSpan.FromDays(1)));

        var decision = Decide(Request(), snapshot);

        Assert.NotNull(decision.NewStickyKey);
        Assert.Equal(snapshot.Layout.ClusterFor(StickyKeyHasher.BucketOf(decision.NewStickyKey)), decision.ClusterIndex);
    }

    [Fact]
    public void Sticky_cookie_is_used_when_the_key_header_is_absent()
    {
        var snapshot = Snapshot(5000, new StickySettings("X-User-Id", null, "proxy-variant", TimeSpan.FromDays(1)));

        var decision = Decide(Request(h => h.Cookie = "proxy-variant=abc"), snapshot);

        Assert.Null(decision.NewStickyKey);
        Assert.Equal(snapshot.Layout.ClusterFor(StickyKeyHasher.BucketOf("abc")), decision.ClusterIndex);
    }
}
