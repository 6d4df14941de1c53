using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Proxy.Traffic.Splitting;

namespace Proxy.Benchmarks;

/// <summary>The per-request split decision, one benchmark per path through <see cref="SplitDecider"/>.</summary>
/// <remarks>Each request carries the headers a real one would; the gateway must allocate nothing on any of these paths.</remarks>
public class SplitDecisionBenchmarks
{
    private SplitSnapshot _weighted = null!;
    private SplitSnapshot _sticky = null!;
    private HttpRequest _plain = null!;
    private HttpRequest _overridden = null!;
    private HttpRequest _stickyHeader = null!;
    private HttpRequest _stickyCookie = null!;

    [GlobalSetup]
    public void Setup()
    {
        var overrides = new[] { new OverrideRule(OverrideSource.Header, "X-Variant", new Dictionary<string, string> { ["blue"] = "shop-blue", ["canary"] = "shop-canary" }) };
        ClusterWeight[] weights = [new("shop-blue", 9000), new("shop-green", 0), new("shop-canary", 1000)];
        _weighted = new SplitSnapshot("shop", 1, new SplitDefinition("shop-blue", weights, null, overrides));
        _sticky = new SplitSnapshot("shop", 1, new SplitDefinition("shop-blue", weights, new StickySettings("X-User-Id", null, "proxy-variant", TimeSpan.FromDays(30)), overrides));

        _plain = Request(_ => { });
        _overridden = Request(h => h["X-Variant"] = "canary");
        _stickyHeader = Request(h => h["X-User-Id"] = "user-4711");
        _stickyCookie = Request(h => h.Cookie = "theme=dark; proxy-variant=5f2b8c1e9a7d4e3fb6c0a1d2e3f4a5b6; lang=en");
    }

    [Benchmark(Baseline = true, Description = "weight (no sticky)")]
    public SplitDecision Weight() => SplitDecider.Decide(_plain, _weighted, _weighted.Layout, RandomBucketSource.Shared);

    [Benchmark(Description = "override header")]
    public SplitDecision Override() => SplitDecider.Decide(_overridden, _sticky, _sticky.Layout, RandomBucketSource.Shared);

    [Benchmark(Description = "sticky header key")]
    public SplitDecision StickyHeader() => SplitDecider.Decide(_stickyHeader, _sticky, _sticky.Layout, RandomBucketSource.Shared);

    [Benchmark(Description = "sticky cookie (returning user)")]
    public SplitDecision StickyCookie() => SplitDecider.Decide(_stickyCookie, _sticky, _sticky.Layout, RandomBucketSource.Shared);

    [Benchmark(Description = "sticky, new user (issues a key)")]
    public SplitDecision StickyNewUser() => SplitDecider.Decide(_plain, _sticky, _sticky.Layout, RandomBucketSource.Shared);

    private static HttpRequest Request(Action<IHeaderDictionary> headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/cart";
        context.Request.Headers.UserAgent = "Mozilla/5.0 (X11; Linux x86_64)";
        context.Request.Headers.Accept = "application/json";
        headers(context.Request.Headers);
        return context.Request;
    }
}
