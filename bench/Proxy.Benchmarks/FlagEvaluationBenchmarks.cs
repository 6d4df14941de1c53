using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Proxy.Traffic.Experiments;
using Proxy.Traffic.Experiments.Counting;
using Proxy.Traffic.Flags;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Proxy.Benchmarks;

/// <summary>
/// The per-request flag step (<see cref="FeatureFlagMiddleware"/>) and the experiment step while no experiment runs on the
/// route (<see cref="ExperimentMiddleware"/>: none at all, or one on another route), on the code the gateway runs: flags
/// compiled by <see cref="FlagStore"/>, a request as YARP hands it over. The flag step must allocate nothing but the
/// <c>X-Proxy-Flags</c> string.
/// </summary>
/// <remarks>
/// Route <c>shop</c> carries three flags: <c>new-checkout</c> (20 % rollout keyed by <c>X-User-Id</c>), <c>recommendations</c>
/// (50 % rollout keyed by the sticky cookie, read among other cookies) and <c>search</c> (a header rule that matches).
/// </remarks>
public class FlagEvaluationBenchmarks
{
    private static readonly RequestDelegate Next = _ => Task.CompletedTask;

    private RuntimeStateStore _state = null!;
    private RuntimeStateStore _otherState = null!;
    private FlagStore _flags = null!;
    private FeatureFlag[] _shopFlags = null!;
    private FeatureFlagMiddleware _flagStep = null!;
    private ExperimentMiddleware _experimentStep = null!;
    private ExperimentMiddleware _experimentElsewhereStep = null!;
    private HttpContext _shop = null!;
    private HttpContext _other = null!;

    [GlobalSetup]
    public void Setup()
    {
        _state = new RuntimeStateStore(new InMemoryStateRepository(), TimeProvider.System);
        _flags = new FlagStore(_state);
        var flags = new Dictionary<string, FlagOptions>(StringComparer.Ordinal)
        {
            ["new-checkout"] = new FlagOptions
            {
                Variants = new() { ["off"] = "false", ["on"] = "true" },
                Default = "off",
                Routes = ["shop"],
                Key = "header:X-User-Id",
                Rollout = new() { ["on"] = 20 },
            },
            ["recommendations"] = new FlagOptions
            {
                Variants = new() { ["off"] = "false", ["on"] = "true" },
                Default = "off",
                Routes = ["shop"],
                Rollout = new() { ["on"] = 50 },
            },
            ["search"] = new FlagOptions
            {
                Variants = new() { ["v1"] = "v1", ["v2"] = "v2" },
                Default = "v1",
                Routes = ["shop"],
                Rules = [new FlagRuleOptions { Header = "X-Beta", Values = ["yes"], Variant = "v2" }],
            },
        };
        _flags.ApplyConfiguredAsync(flags, ["shop", "static"], default).GetAwaiter().GetResult();
        _shopFlags = _flags.Current.ForRoute("shop") ?? throw new InvalidOperationException("route shop has no flags");
        _flagStep = new FeatureFlagMiddleware(Next, _flags);
        _experimentStep = new ExperimentMiddleware(Next, new ExperimentStore(_state, new ExactExperimentCounterFactory()), new SplitStore(_state), _flags);

        // Its own state store, so the idle step's experiment store stays empty. The experiment runs on route "search", with
        // a goal the benchmark's GET /cart does not meet: the step walks it and counts nothing.
        _otherState = new RuntimeStateStore(new InMemoryStateRepository(), TimeProvider.System);
        var elsewhere = new ExperimentStore(_otherState, new ExactExperimentCounterFactory());
        elsewhere.ApplyConfiguredAsync(
            [
                new ExperimentDefinition(
                    "search", "ranking", ["blue", "green"], null,
                    [ExperimentGoal.From(new GoalOptions { Name = "order", Path = "/api/orders" })], 0, ExperimentSettings.Default,
                    new ExperimentUserKey("X-User-Id", null, null), "fingerprint"),
            ],
            default).GetAwaiter().GetResult();
        if (elsewhere.Current.Running.Length != 1)
        {
            throw new InvalidOperationException("the experiment on route search is not running");
        }

        _experimentElsewhereStep = new ExperimentMiddleware(Next, elsewhere, new SplitStore(_otherState), _flags);

        _shop = Request("shop");
        _other = Request("static");

        _flagStep.InvokeAsync(_shop).GetAwaiter().GetResult();
        var header = _shop.Request.Headers[FlagHeader.Name].ToString();
        if (!header.StartsWith("new-checkout=", StringComparison.Ordinal) || !header.EndsWith(", search=v2", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"unexpected {FlagHeader.Name}: {header}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _state.Dispose();
        _otherState.Dispose();
    }

    [Benchmark(Baseline = true, Description = "FlagHeader.Build: 3 flags")]
    public string Build() => FlagHeader.Build(_shopFlags, new RequestFlagContext(_shop.Request, "shop"));

    // A request arrives without X-Proxy-Flags (the step replaces any a client sent): remove it, then run the step.
    [Benchmark(Description = "FeatureFlagMiddleware: route with 3 flags")]
    public Task FlagStep()
    {
        _shop.Request.Headers.Remove(FlagHeader.Name);
        return _flagStep.InvokeAsync(_shop);
    }

    [Benchmark(Description = "FeatureFlagMiddleware: route without flags")]
    public Task FlagStepNoFlags() => _flagStep.InvokeAsync(_other);

    [Benchmark(Description = "ExperimentMiddleware: no experiment running")]
    public Task ExperimentStepIdle() => _experimentStep.InvokeAsync(_shop);

    [Benchmark(Description = "ExperimentMiddleware: experiment on another route")]
    public Task ExperimentStepElsewhere() => _experimentElsewhereStep.InvokeAsync(_shop);

    private static DefaultHttpContext Request(string routeId)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/cart";
        context.Request.Headers.UserAgent = "Mozilla/5.0 (X11; Linux x86_64)";
        context.Request.Headers.Accept = "application/json";
        context.Request.Headers["X-User-Id"] = "user-4711";
        context.Request.Headers["X-Beta"] = "yes";
        context.Request.Headers.Cookie = "theme=dark; proxy-variant=5f2b8c1e9a7d4e3fb6c0a1d2e3f4a5b6; lang=en";
        context.Features.Set<IReverseProxyFeature>(new ReverseProxyFeature
        {
            Route = new RouteModel(new RouteConfig { RouteId = routeId }, null, HttpTransformer.Empty),
        });
        return context;
    }
}
