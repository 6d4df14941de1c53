using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Health;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;
using Proxy.Traffic.Rollouts.Coordination;
using Proxy.Traffic.Rollouts.Fleet;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.Rollouts;

/// <summary>A rollout controller on fake time over an in-memory split store, with traffic recorded straight into the metric windows.</summary>
internal sealed class RolloutHarness : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public RolloutHarness(
        IStateRepository? repository = null, FakeTimeProvider? time = null, IFleetRevisions? fleet = null, Webhooks.ScriptedHooks? hooks = null, IPrometheusClient? prometheus = null,
        IRolloutCoordination? coordination = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        Repository = repository ?? new InMemoryStateRepository();
        State = new RuntimeStateStore(Repository, Time);
        Store = new SplitStore(State);
        Windows = new ClusterMetricWindows(Time);
        Registry = new RolloutRegistry();
        Controller = new RolloutController(
            Store, new SwitchableMetricsSource(this), new RolloutStore(State, Registry), coordination ?? new SingleInstanceCoordination(), Registry, Time, NullLogger<RolloutController>.Instance,
            fleet: fleet, hooks: hooks?.CallerOn(Time),
            metricChecks: prometheus is null ? null : new MetricCheckRunner(prometheus, Time, NullLogger<MetricCheckRunner>.Instance));
    }

    public FakeTimeProvider Time { get; }

    public IStateRepository Repository { get; }

    public RuntimeStateStore State { get; }

    public SplitStore Store { get; }

    public ClusterMetricWindows Windows { get; }

    public RolloutRegistry Registry { get; }

    public RolloutController Controller { get; }

    /// <summary>While true the controller's metrics source fails as the fleet's does while Redis is down.</summary>
    public bool MetricsUnavailable { get; set; }

    public RolloutState Rollout => Registry.Get("shop")!;

    public static AnalysisSettings Analysis(int minRequests = 20, double? maxErrorRate = 0.05, int failureLimit = 1, TimeSpan? inconclusiveTimeout = null, InconclusiveAction onInconclusive = InconclusiveAction.Rollback) =>
        new(Interval, minRequests, maxErrorRate, null, null, null, failureLimit, inconclusiveTimeout ?? Interval * 3, onInconclusive);

    public static RolloutPlan Canary(AnalysisSettings? analysis = null, params RolloutStep[] steps) =>
        new("canary", RolloutStrategy.Canary, steps.Length > 0 ? steps : [new(1000, TimeSpan.FromSeconds(20)), new(5000, TimeSpan.FromSeconds(20)), new(10000, null)], analysis ?? Analysis());

    public async Task<RolloutHarness> WithRouteAsync()
    {
        await Store.ReplaceAsync(
            new Dictionary<string, SplitDefinition> { ["shop"] = new("blue", [new("blue", BasisPoints.Total), new("canary", 0)], null, []) },
            default);
        return this;
    }

    public async Task<RolloutState> StartAsync(RolloutPlan? plan = null)
    {
        var result = await Controller.StartRolloutAsync("shop", plan ?? Canary(), "ci", default);
        Assert.Equal(RolloutCommandOutcome.Done, result.Outcome);
        return result.State!;
    }

    /// <summary>Records <paramref name="requests"/> answers per cluster spread over the next interval, then ticks at its end.</summary>
    public async Task RunIntervalAsync(int requests = 100, double canaryErrorRate = 0, double canaryLatencyMs = 5, int stableRequests = 100)
    {
        var step = Interval / (requests + 1);
        for (var i = 0; i < requests; i++)
        {
            Time.Advance(step);
            Record("canary", failed: i < requests * canaryErrorRate, canaryLatencyMs);
            for (var s = 0; s < stableRequests / requests; s++)
            {
                Record("blue", failed: false, 5);
            }
        }

        Time.Advance(Interval - (step * requests));
        await Controller.TickAsync(default);
    }

    /// <summary>An operator's change of the split (source api): the candidate at <paramref name="canary"/> basis points, <paramref name="stable"/> the rest.</summary>
    public Task<SplitUpdateResult> SetWeightsAsync(int canary, string stable = "blue", string reason = "by hand") =>
        Store.UpdateAsync("shop", new SplitEdit(SplitActions.SetWeights, "ops", SplitChangeSource.Api, reason), split =>
            SplitProposal.To(split.Definition with { Stable = stable, Weights = [new("blue", BasisPoints.Total - canary), new("canary", canary)] }), default);

    public string Weights() => Store.TryGetSnapshot("shop", out var split) ? split.ToString() : "none";

    public void Dispose() => State.Dispose();

    private sealed class SwitchableMetricsSource(RolloutHarness harness) : IRolloutMetricsSource
    {
        public Task<WindowStats> ReadAsync(string clusterId, TimeSpan window, CancellationToken cancellationToken) =>
            harness.MetricsUnavailable
                ? throw new StateUnavailableException("Redis cannot be reached (test)")
                : new LocalRolloutMetricsSource(harness.Windows).ReadAsync(clusterId, window, cancellationToken);
    }

    private void Record(string cluster, bool failed, double latencyMs) =>
        Windows.Record(cluster, failed ? 500 : 200, Time.GetTimestamp() - (long)(latencyMs / 1000 * Time.TimestampFrequency));
}
