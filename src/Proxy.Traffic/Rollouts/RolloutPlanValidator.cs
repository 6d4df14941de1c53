using FluentValidation;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// A rollout plan on its own, wherever it is written (admin API or configuration file): a candidate; canary steps with
/// weights above 0 that never go down, or a blue/green plan without steps; an analysis with an interval the metric
/// windows can hold and at least one limit. Whether the candidate fits the route's split is checked by the caller.
/// </summary>
public sealed partial class RolloutPlanValidator : AbstractValidator<StartRolloutRequest>
{
    private const int MaxSteps = 50;
    private const int MaxMinRequests = 1_000_000;
    private const double MaxLatencyMs = 3_600_000;
    private const double MaxLatencyFactor = 1_000;
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPause = TimeSpan.FromDays(7);

    public RolloutPlanValidator()
    {
        RuleFor(r => r).Custom((request, context) =>
        {
            if (string.IsNullOrWhiteSpace(request.Candidate))
            {
                context.AddFailure("candidate", "the candidate cluster is required");
            }

            if (RolloutPlanReader.StrategyOf(request.Strategy) is not { } strategy)
            {
                context.AddFailure("strategy", $"'{request.Strategy}' is not a strategy; use canary or blueGreen");
            }
            else if (strategy == RolloutStrategy.Canary)
            {
                CheckSteps(context, request);
            }
            else
            {
                CheckBlueGreen(context, request);
            }

            CheckAnalysis(context, request.Analysis);
            CheckDiffRate(context, request);
            CheckRecovery(context, request);
            Webhooks.RolloutWebhookRules.Check(context, request.Webhooks, Webhooks.RolloutWebhookReader.RaisesWeight(request));
            Templates.RolloutTemplateMerge.CheckResolved(context, request);
        });
    }

    private static void CheckSteps(ValidationContext<StartRolloutRequest> context, StartRolloutRequest request)
    {
        if (request.PrePromotionWindow is not null || request.PostPromotionWindow is not null)
        {
            context.AddFailure("strategy", "prePromotionWindow and postPromotionWindow belong to the blueGreen strategy");
        }

        if (request.Steps is not { Count: > 0 and <= MaxSteps } steps)
        {
            context.AddFailure("steps", $"a canary needs 1 to {MaxSteps} steps");
            return;
        }

        var previous = 0m;
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is null)
            {
                context.AddFailure($"steps[{i}]", "a step is required: { \"weight\": …, \"pause\": … }");
                continue;
            }

            var weight = steps[i].Weight;
            var mirrorStep = weight == 0 && request.Analysis?.MaxDiffRate is not null && i < steps.Count - 1;
            if (weight is not { } percent || (percent <= 0 && !mirrorStep) || !BasisPoints.IsValidPercent(percent))
            {
                context.AddFailure($"steps[{i}].weight", "a weight above 0, at most 100, with at most two decimals is required (0 only for a mirror step before the last, with analysis.maxDiffRate)");
            }
            else if (percent < previous)
            {
                context.AddFailure($"steps[{i}].weight", $"weight {percent} is below the previous step's {previous}: a canary never moves backwards");
            }
            else
            {
                previous = percent;
            }

            CheckDuration(context, $"steps[{i}].pause", steps[i].Pause, TimeSpan.Zero, MaxPause);
        }
    }

    private static void CheckBlueGreen(ValidationContext<StartRolloutRequest> context, StartRolloutRequest request)
    {
        if (request.Steps is not null)
        {
            context.AddFailure("steps", "a blueGreen rollout has no steps: it previews, then switches");
        }

        CheckDuration(context, "prePromotionWindow", request.PrePromotionWindow, TimeSpan.Zero, MaxPause);
        CheckDuration(context, "postPromotionWindow", request.PostPromotionWindow, TimeSpan.Zero, MaxPause);
    }

    private static void CheckAnalysis(ValidationContext<StartRolloutRequest> context, RolloutAnalysisRequest? analysis)
    {
        if (analysis is null)
        {
            context.AddFailure("analysis", "an analysis is required");
            return;
        }

        if (analysis.Interval is null)
        {
            context.AddFailure("analysis.interval", "the analysis interval is required, e.g. \"00:00:10\"");
        }

        CheckDuration(context, "analysis.interval", analysis.Interval, MinInterval, ClusterMetricWindow.History);
        CheckDuration(context, "analysis.inconclusiveTimeout", analysis.InconclusiveTimeout, TimeSpan.Zero, MaxPause);
        if (analysis.MinRequests is < 1 or > MaxMinRequests)
        {
            context.AddFailure("analysis.minRequests", $"must be between 1 and {MaxMinRequests}");
        }

        if (analysis.FailureLimit is < 1 or > 100)
        {
            context.AddFailure("analysis.failureLimit", "must be between 1 and 100");
        }

        CheckLimit(context, "analysis.maxErrorRate", analysis.MaxErrorRate, 0, 1, "must be between 0 and 1");
        CheckLimit(context, "analysis.maxErrorRateIncrease", analysis.MaxErrorRateIncrease, 0, 1, "must be between 0 and 1");
        CheckLimit(context, "analysis.maxP99LatencyMs", analysis.MaxP99LatencyMs, double.Epsilon, MaxLatencyMs, $"must be above 0 and at most {MaxLatencyMs} (one hour)");
        CheckLimit(context, "analysis.maxLatencyFactor", analysis.MaxLatencyFactor, 1, MaxLatencyFactor, $"must be between 1 and {MaxLatencyFactor}");
        CheckLimit(context, "analysis.maxDiffRate", analysis.MaxDiffRate, 0, 1, "must be between 0 and 1");
        MetricCheckRules.Check(context, analysis.Metrics);
        if (analysis.MaxErrorRate is null && analysis.MaxP99LatencyMs is null && analysis.MaxErrorRateIncrease is null && analysis.MaxLatencyFactor is null
            && analysis.MaxDiffRate is null && analysis.Metrics is not { Count: > 0 })
        {
            context.AddFailure("analysis", "set at least one limit: maxErrorRate, maxP99LatencyMs, maxErrorRateIncrease, maxLatencyFactor, maxDiffRate or metrics");
        }

        if (analysis.OnInconclusive is not null && RolloutPlanReader.InconclusiveActionOf(analysis.OnInconclusive) is null)
        {
            context.AddFailure("analysis.onInconclusive", $"'{analysis.OnInconclusive}' is not an action; use rollback or pause");
        }
    }

    // maxDiffRate judges what the mirror compared while the candidate has no users: the plan needs such a step.
    private static void CheckDiffRate(ValidationContext<StartRolloutRequest> context, StartRolloutRequest request)
    {
        var strategy = RolloutPlanReader.StrategyOf(request.Strategy);
        var zeroWeightStep = strategy == RolloutStrategy.BlueGreen ? request.PrePromotionWindow is not null : request.Steps?.Any(s => s?.Weight == 0) == true;
        if (request.Analysis?.MaxDiffRate is not null && strategy is not null && !zeroWeightStep)
        {
            context.AddFailure("analysis.maxDiffRate", "judges a step where the candidate has no weight: a blueGreen prePromotionWindow, or a canary step of weight 0");
        }
    }

    // Comparisons alone let NaN through (every comparison with it is false), and infinity is out of any range anyway.
    private static void CheckLimit(ValidationContext<StartRolloutRequest> context, string field, double? value, double min, double max, string message)
    {
        if (value is { } limit && (!double.IsFinite(limit) || limit < min || limit > max))
        {
            context.AddFailure(field, message);
        }
    }

    private static void CheckDuration(ValidationContext<StartRolloutRequest> context, string field, TimeSpan? value, TimeSpan min, TimeSpan max)
    {
        if (value is { } duration && (duration < min || duration > max))
        {
            context.AddFailure(field, $"must be between {min:c} and {max:c}");
        }
    }
}
