using Microsoft.AspNetCore.Http;
using Proxy.Traffic.Flags;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Tests.Flags;

public class FeatureFlagTests
{
    private static FeatureFlag Flag(decimal onPercent, bool enabled = true, params FlagRuleOptions[] rules) => FlagRules.Compile(
        "new-checkout",
        new FlagOptions
        {
            Variants = new() { ["off"] = "false", ["on"] = "true" },
            Default = "off",
            Routes = ["shop"],
            Key = "header:X-User-Id",
            Rules = [.. rules],
            Rollout = new() { ["on"] = onPercent },
            Enabled = enabled,
        },
        null);

    private static RequestFlagContext Context(string? user, Action<IHeaderDictionary>? headers = null, string route = "shop", string path = "/")
    {
        var context = new DefaultHttpContext();
        if (user is not null)
        {
            context.Request.Headers["X-User-Id"] = user;
        }

        context.Request.Path = path;
        headers?.Invoke(context.Request.Headers);
        return new RequestFlagContext(context.Request, route);
    }

    private static string VariantOf(FeatureFlag flag, RequestFlagContext context) => flag.Variants[flag.Evaluate(context).Variant];

    [Fact]
    public void Rollout_reaches_its_share_of_users_by_key()
    {
        var flag = Flag(20);
        var on = Enumerable.Range(0, 10_000).Count(i => VariantOf(flag, Context($"user-{i}")) == "on");

        Assert.InRange(on, 1_850, 2_150);
    }

    [Fact]
    public void Raising_the_rollout_keeps_every_user_who_had_the_variant()
    {
        var at20 = Flag(20);
        var at50 = Flag(50);
        var users = Enumerable.Range(0, 5_000).Select(i => $"user-{i}").ToArray();

        var onAt20 = users.Where(u => VariantOf(at20, Context(u)) == "on").ToArray();
        var onAt50 = users.Where(u => VariantOf(at50, Context(u)) == "on").ToHashSet();

        Assert.NotEmpty(onAt20);
        Assert.All(onAt20, u => Assert.Contains(u, onAt50));
        Assert.True(onAt50.Count > onAt20.Length * 2);
    }

    [Fact]
    public void Rollout_places_users_independently_of_the_split_buckets()
    {
        // Salted by the flag's name: the users in a split's first 20 % of buckets are not the flag's 20 %.
        var flag = Flag(20);
        var users = Enumerable.Range(0, 10_000).Select(i => $"user-{i}").Where(u => StickyKeyHasher.BucketOf(u) < 2_000).ToArray();

        var on = users.Count(u => VariantOf(flag, Context(u)) == "on");

        Assert.InRange(on / (double)users.Length, 0.15, 0.25);
    }

    [Fact]
    public void First_matching_rule_wins_over_the_rollout()
    {
        var flag = FlagRules.Compile("search", new FlagOptions
        {
            Variants = new() { ["v1"] = "v1", ["v2"] = "v2", ["v3"] = "v3" },
            Default = "v1",
            Routes = ["*"],
            Key = "header:X-User-Id",
            Rules =
            [
                new FlagRuleOptions { Header = "X-Beta", Values = ["yes"], Variant = "v3" },
                new FlagRuleOptions { Cookie = "tester", Values = ["1"], Variant = "v2" },
                new FlagRuleOptions { Route = "admin", Variant = "v2" },
                new FlagRuleOptions { Path = "/labs/", Variant = "v3" },
            ],
            Rollout = new() { ["v2"] = 100 },
        }, null);

        Assert.Equal("v3", VariantOf(flag, Context("u", h => { h["X-Beta"] = "YES"; h.Cookie = "tester=1"; })));
        Assert.Equal("v2", VariantOf(flag, Context("u", h => h.Cookie = "a=b; tester=1")));
        Assert.Equal("v2", VariantOf(flag, Context(null, route: "admin")));
        Assert.Equal("v3", VariantOf(flag, Context(null, path: "/Labs/x")));
        Assert.Equal(FlagReason.TargetingMatch, flag.Evaluate(Context(null, path: "/labs/x")).Reason);
        Assert.Equal(FlagReason.Split, flag.Evaluate(Context("u")).Reason);
        Assert.Equal(new FlagEvaluation(0, FlagReason.Static), flag.Evaluate(Context(null)));
    }

    [Fact]
    public void Kill_switch_gives_everyone_the_default_before_any_rule()
    {
        var flag = Flag(100, enabled: false, new FlagRuleOptions { Header = "X-Beta", Values = ["1"], Variant = "on" });

        Assert.Equal(new FlagEvaluation(0, FlagReason.Disabled), flag.Evaluate(Context("user-1", h => h["X-Beta"] = "1")));
    }

    [Fact]
    public void Header_lists_each_flag_once_and_allocates_only_its_string()
    {
        FeatureFlag[] flags = [Flag(100), FlagRules.Compile("search", new FlagOptions { Variants = new() { ["v2"] = "x" }, Default = "v2", Routes = ["shop"] }, null)];
        var context = Context("user-1");
        Assert.Equal("new-checkout=on, search=v2", FlagHeader.Build(flags, context));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var header = FlagHeader.Build(flags, context);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A string of 26 chars: 20 bytes of header + 2 per char, rounded up to 8.
        Assert.Equal("new-checkout=on, search=v2", header);
        Assert.InRange(allocated, 1, 80);
    }

    [Fact]
    public void Configuration_errors_name_the_field()
    {
        var errors = new List<string>();
        FlagRules.Check("bad name", new FlagOptions
        {
            Variants = new() { ["on"] = "true" },
            Default = "off",
            Routes = ["ghost"],
            Key = "query:x",
            Rules = [new FlagRuleOptions { Header = "X", Cookie = "y", Variant = "nope" }],
            Rollout = new() { ["on"] = 120, ["other"] = 1 },
        }, new HashSet<string>(["shop"]), (field, message) => errors.Add($"{field}: {message}"));

        Assert.Contains(errors, e => e.StartsWith(": flag name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Default: variant 'off'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Routes:0: route 'ghost'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Key:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rules:0: set exactly one", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rules:0:Values", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rules:0:Variant", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rollout:on: 120", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Rollout:other: variant 'other'", StringComparison.Ordinal));
    }
}
