namespace Proxy.Traffic.Splitting;

/// <summary>The desired traffic policy of one route: its clusters, their weights, the stable one, stickiness and overrides.</summary>
public sealed record SplitDefinition(
    string Stable,
    IReadOnlyList<ClusterWeight> Weights,
    StickySettings? Sticky,
    IReadOnlyList<OverrideRule> Overrides)
{
    /// <summary>The weight of a cluster in basis points, or null when it takes no part in the split.</summary>
    public int? WeightOf(string clusterId)
    {
        foreach (var weight in Weights)
        {
            if (string.Equals(weight.ClusterId, clusterId, StringComparison.Ordinal))
            {
                return weight.BasisPoints;
            }
        }

        return null;
    }

    /// <summary>A copy with new weights for the same clusters.</summary>
    public SplitDefinition WithWeights(IReadOnlyList<ClusterWeight> weights) => this with { Weights = weights };

    /// <summary>True when both definitions route traffic the same way.</summary>
    public bool RoutesLike(SplitDefinition other) =>
        string.Equals(Stable, other.Stable, StringComparison.Ordinal)
        && Weights.SequenceEqual(other.Weights)
        && Equals(Sticky, other.Sticky)
        && Overrides.Count == other.Overrides.Count
        && Overrides.Zip(other.Overrides).All(pair =>
            pair.First.Source == pair.Second.Source
            && string.Equals(pair.First.Name, pair.Second.Name, StringComparison.OrdinalIgnoreCase)
            && pair.First.ClusterByValue.Count == pair.Second.ClusterByValue.Count
            && pair.First.ClusterByValue.All(kv =>
                pair.Second.ClusterByValue.TryGetValue(kv.Key, out var cluster) && cluster == kv.Value));
}
