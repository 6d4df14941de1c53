namespace Proxy.Traffic.Splitting;

/// <summary>The outcome of the split decision for one request.</summary>
/// <param name="ClusterIndex">Index into <see cref="SplitSnapshot.ClusterIds"/>.</param>
/// <param name="Kind">Why that cluster was chosen.</param>
/// <param name="NewStickyKey">A freshly issued sticky key the response must set as a cookie, or null.</param>
public readonly record struct SplitDecision(int ClusterIndex, SplitDecisionKind Kind, string? NewStickyKey = null);
