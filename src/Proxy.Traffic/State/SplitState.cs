using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.State;

/// <summary>The part of a route's split that changes at run time: its stable cluster and weights (basis points, in order).</summary>
public sealed record SplitState(string Stable, IReadOnlyList<ClusterWeight> Weights)
{
    /// <summary>The stable cluster and weights of a definition.</summary>
    public static SplitState Of(SplitDefinition definition) => new(definition.Stable, definition.Weights);

    /// <summary>True when both name the same stable cluster and the same weights in the same order.</summary>
    public bool Equals(SplitState? other) =>
        other is not null
        && string.Equals(Stable, other.Stable, StringComparison.Ordinal)
        && Weights.SequenceEqual(other.Weights);

    public override int GetHashCode() => HashCode.Combine(Stable, Weights.Count);

    /// <summary>True when both split the same set of clusters, whatever their weights.</summary>
    public bool HasSameClustersAs(SplitState other) =>
        Weights.Count == other.Weights.Count
        && Weights.All(w => other.Weights.Any(o => string.Equals(o.ClusterId, w.ClusterId, StringComparison.Ordinal)));

    /// <summary>Weights and stable, as operators read them in logs.</summary>
    public override string ToString() =>
        string.Join(", ", Weights.Select(w => $"{w.ClusterId}={BasisPoints.ToPercent(w.BasisPoints)}%")) + $" (stable {Stable})";
}
