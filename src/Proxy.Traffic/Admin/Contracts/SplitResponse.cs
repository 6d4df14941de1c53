using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>A stable cluster and weights in percent.</summary>
public sealed record SplitResponse(string Stable, IReadOnlyDictionary<string, decimal> Weights)
{
    /// <summary>The percentages of weights held in basis points, in their order.</summary>
    public static Dictionary<string, decimal> Percentages(IEnumerable<ClusterWeight> weights) =>
        weights.ToDictionary(w => w.ClusterId, w => BasisPoints.ToPercent(w.BasisPoints), StringComparer.Ordinal);

    /// <summary>The API form of a persisted split state.</summary>
    public static SplitResponse? From(SplitState? state) => state is null ? null : new(state.Stable, Percentages(state.Weights));
}
