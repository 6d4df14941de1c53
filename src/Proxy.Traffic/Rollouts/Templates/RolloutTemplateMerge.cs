using FluentValidation;

namespace Proxy.Traffic.Rollouts.Templates;

/// <summary>
/// A plan that names a template, merged onto it: each field given overrides the template's, except <c>analysis</c>, which
/// merges field by field; a list (<c>steps</c>, <c>webhooks</c>, <c>analysis.metrics</c>) or any other object
/// (<c>rollback</c>) replaces the template's whole. A field left out (or null) keeps the template's; nothing given can remove one.
/// </summary>
/// <remarks>Every field of <see cref="StartRolloutRequest"/> and <see cref="RolloutAnalysisRequest"/> is listed here; a unit test fails for one that is not.</remarks>
public static class RolloutTemplateMerge
{
    /// <summary>The plan <paramref name="given"/> names <paramref name="template"/> for, as if written out whole (naming no template).</summary>
    public static StartRolloutRequest Merge(StartRolloutRequest template, StartRolloutRequest given) => new(
        Candidate: given.Candidate ?? template.Candidate,
        Strategy: given.Strategy ?? template.Strategy,
        Steps: given.Steps ?? template.Steps,
        Analysis: Merge(template.Analysis, given.Analysis),
        PrePromotionWindow: given.PrePromotionWindow ?? template.PrePromotionWindow,
        PostPromotionWindow: given.PostPromotionWindow ?? template.PostPromotionWindow,
        Rollback: given.Rollback ?? template.Rollback,
        Webhooks: given.Webhooks ?? template.Webhooks,
        Template: null);

    /// <summary>
    /// The plan as it will run: <paramref name="request"/> itself when it names no template, merged onto its template when
    /// <paramref name="templates"/> has it (by name, ignoring case), null when it does not.
    /// </summary>
    public static StartRolloutRequest? Resolve(StartRolloutRequest request, IReadOnlyDictionary<string, StartRolloutRequest> templates) =>
        request.Template is not { } name ? request
        : templates.TryGetValue(name, out var template) ? Merge(template, request)
        : null;

    /// <summary>A plan still naming a template was never resolved: the template is unknown where it was used.</summary>
    internal static void CheckResolved(ValidationContext<StartRolloutRequest> context, StartRolloutRequest request)
    {
        if (request.Template is { } name)
        {
            context.AddFailure("template", $"names the rollout template '{name}', which is not known here: a plan naming a template is checked where the templates are (the gateway, or the file under TrafficSplit:RolloutTemplates)");
        }
    }

    private static RolloutAnalysisRequest? Merge(RolloutAnalysisRequest? template, RolloutAnalysisRequest? given) =>
        template is null || given is null ? given ?? template : new(
            Interval: given.Interval ?? template.Interval,
            MinRequests: given.MinRequests ?? template.MinRequests,
            MaxErrorRate: given.MaxErrorRate ?? template.MaxErrorRate,
            MaxP99LatencyMs: given.MaxP99LatencyMs ?? template.MaxP99LatencyMs,
            MaxErrorRateIncrease: given.MaxErrorRateIncrease ?? template.MaxErrorRateIncrease,
            MaxLatencyFactor: given.MaxLatencyFactor ?? template.MaxLatencyFactor,
            FailureLimit: given.FailureLimit ?? template.FailureLimit,
            InconclusiveTimeout: given.InconclusiveTimeout ?? template.InconclusiveTimeout,
            OnInconclusive: given.OnInconclusive ?? template.OnInconclusive,
            MaxDiffRate: given.MaxDiffRate ?? template.MaxDiffRate,
            DryRun: given.DryRun ?? template.DryRun,
            FleetTimeout: given.FleetTimeout ?? template.FleetTimeout,
            Metrics: given.Metrics ?? template.Metrics);
}
