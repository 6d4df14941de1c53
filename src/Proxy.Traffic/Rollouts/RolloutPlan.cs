using System.Text.Json.Serialization;
using Proxy.Traffic.Rollouts.Analysis;
using Proxy.Traffic.Rollouts.Rollback;

namespace Proxy.Traffic.Rollouts;

/// <summary>What a rollout does: the candidate, its steps (a blue/green plan is expressed as a preview and a switch step) and the analysis between them.</summary>
/// <param name="Candidate">The cluster rolled out; it must be part of the route's split.</param>
/// <param name="Strategy">Canary or blue/green.</param>
/// <param name="Steps">The weights the candidate goes through; passing the last one promotes it.</param>
/// <param name="Analysis">How each step is judged.</param>
/// <param name="Rollback">A gradual rollback; null rolls back at once. Left out of stored JSON when null, so older plans keep their fingerprint.</param>
/// <param name="Webhooks">Hooks called along the rollout; left out of stored JSON when null, so older plans keep their fingerprint.</param>
public sealed record RolloutPlan(
    string Candidate,
    RolloutStrategy Strategy,
    IReadOnlyList<RolloutStep> Steps,
    AnalysisSettings Analysis,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RollbackPlan? Rollback = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Webhooks.RolloutWebhook>? Webhooks = null)
{
    /// <summary>
    /// The steps of a blue/green switch: an optional preview at weight 0 (the candidate sees only override traffic) held
    /// until its analysis passes, then the switch to 100%, held for the post-promotion window before the candidate becomes stable.
    /// </summary>
    public static IReadOnlyList<RolloutStep> BlueGreenSteps(TimeSpan? prePromotionWindow, TimeSpan postPromotionWindow) =>
        prePromotionWindow is { } preview
            ? [new RolloutStep(0, preview), new RolloutStep(Splitting.BasisPoints.Total, postPromotionWindow)]
            : [new RolloutStep(Splitting.BasisPoints.Total, postPromotionWindow)];
}
