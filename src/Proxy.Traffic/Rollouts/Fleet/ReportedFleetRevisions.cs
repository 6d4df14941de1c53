using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Rollouts.Fleet;

/// <summary>
/// The fleet's revisions from the instance reports every instance leaves in the shared state after each sync pass
/// (those of <c>GET /api/fleet</c>); this instance's own entry is what its split store has in force now, since its report
/// is only left at its next pass. Not shared with a single-instance repository.
/// </summary>
public sealed class ReportedFleetRevisions(IStateRepository repository, SplitStore store) : IFleetRevisions
{
    /// <inheritdoc />
    public bool IsShared => repository.IsShared;

    /// <inheritdoc />
    public async Task<IReadOnlyList<InstanceRevision>> ReadAsync(string routeId, CancellationToken cancellationToken)
    {
        var reports = await repository.GetReportsAsync(cancellationToken).ConfigureAwait(false);
        var own = new InstanceRevision(repository.InstanceName, store.TryGetSnapshot(routeId, out var split) ? split.Revision : 0, Stale: false);
        return
        [
            own,
            .. reports.Where(r => !string.Equals(r.Instance, repository.InstanceName, StringComparison.Ordinal))
                .Select(r => new InstanceRevision(r.Instance, r.Revisions.GetValueOrDefault(routeId), r.Stale)),
        ];
    }
}
