namespace Proxy.Traffic.Splitting;

/// <summary>A cluster taking part in a split, with its share of new traffic in basis points.</summary>
public readonly record struct ClusterWeight(string ClusterId, int BasisPoints);
