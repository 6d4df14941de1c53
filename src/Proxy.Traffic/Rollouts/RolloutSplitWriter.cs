using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// Puts a rollout's weights in force through the split store, as revisions with source <c>rollout</c>. Each write names
/// the revision the rollout last saw (If-Match), so a change an operator made in between is never overwritten.
/// </summary>
internal sealed class RolloutSplitWriter(SplitStore store)
{
    /// <summary>Gives the candidate <paramref name="candidateBasisPoints"/>, <paramref name="stable"/> the rest, every other cluster 0.</summary>
    public Task<SplitUpdateResult> WriteAsync(RolloutState rollout, string action, string stable, int candidateBasisPoints, string reason)
    {
        var candidate = rollout.Plan.Candidate;
        var edit = new SplitEdit(action, SplitActions.RolloutActor, SplitChangeSource.Rollout, reason, rollout.Revision);
        return store.UpdateAsync(rollout.RouteId, edit, split =>
        {
            if (split.IndexOf(candidate) < 0 || split.IndexOf(stable) < 0)
            {
                return SplitProposal.Refuse($"clusters '{candidate}' and '{stable}' are no longer both part of the split");
            }

            var weights = split.ClusterIds.Select(id => new ClusterWeight(
                id,
                string.Equals(id, candidate, StringComparison.Ordinal) ? candidateBasisPoints
                : string.Equals(id, stable, StringComparison.Ordinal) ? BasisPoints.Total - candidateBasisPoints
                : 0)).ToArray();
            return SplitProposal.To(split.Definition with { Stable = stable, Weights = weights });
        }, CancellationToken.None);
    }
}
