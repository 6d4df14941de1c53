using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;
using Proxy.Traffic.Rollouts.Rollback;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Rollouts;

/// <summary>Turns a validated <see cref="StartRolloutRequest"/> into a <see cref="RolloutPlan"/>, filling in the defaults.</summary>
public static class RolloutPlanReader
{
    /// <summary>Requests a window must hold when the request does not say.</summary>
    public const int DefaultMinRequests = 50;

    /// <summary>Analysis windows an inconclusive run may last, and a blue/green post-promotion window lasts, when the request does not say.</summary>
    public const int DefaultIntervals = 5;

    /// <summary>The plan of a request that passed <see cref="RolloutPlanValidator"/>.</summary>
    public static RolloutPlan Read(StartRolloutRequest request)
    {
        var given = request.Analysis!;
        var interval = given.Interval!.Value;
        var analysis = new AnalysisSettings(
            interval,
            given.MinRequests ?? DefaultMinRequests,
            given.MaxErrorRate,
            given.MaxP99LatencyMs,
            given.MaxErrorRateIncrease,
            given.MaxLatencyFactor,
            given.FailureLimit ?? 1,
            given.InconclusiveTimeout ?? interval * DefaultIntervals,
            given.OnInconclusive is null ? InconclusiveAction.Rollback : InconclusiveActionOf(given.OnInconclusive)!.Value,
            given.MaxDiffRate,
            given.DryRun ?? false,
            given.FleetTimeout,
            MetricCheckRules.Read(given.Metrics));
        var strategy = StrategyOf(request.Strategy)!.Value;
        var steps = strategy == RolloutStrategy.BlueGreen
            ? RolloutPlan.BlueGreenSteps(request.PrePromotionWindow, request.PostPromotionWindow ?? interval * DefaultIntervals)
            : request.Steps!.Select(s => new RolloutStep(BasisPoints.FromPercent(s.Weight!.Value), s.Pause)).ToArray();
        return new RolloutPlan(
            request.Candidate!, strategy, steps, analysis, RollbackPlan.Read(request.Rollback, interval), Webhooks.RolloutWebhookReader.Read(request.Webhooks));
    }

    /// <summary>The strategy named (canary when none), or null for an unknown name.</summary>
    public static RolloutStrategy? StrategyOf(string? name) => name switch
    {
        null => RolloutStrategy.Canary,
        _ when name.Equals("canary", StringComparison.OrdinalIgnoreCase) => RolloutStrategy.Canary,
        _ when name.Equals("blueGreen", StringComparison.OrdinalIgnoreCase) || name.Equals("blue-green", StringComparison.OrdinalIgnoreCase) => RolloutStrategy.BlueGreen,
        _ => null,
    };

    /// <summary>The action named, or null for an unknown name.</summary>
    public static InconclusiveAction? InconclusiveActionOf(string name) =>
        Enum.TryParse<InconclusiveAction>(name, ignoreCase: true, out var action) && Enum.IsDefined(action) ? action : null;
}
