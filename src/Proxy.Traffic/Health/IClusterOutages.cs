namespace Proxy.Traffic.Health;

/// <summary>
/// Why a cluster is out of rotation by its upstreams' own doing: its breaker tripped on their failures, or no destination
/// is healthy. An operator's isolation is not an upstream outcome and is never reported here.
/// </summary>
public interface IClusterOutages
{
    /// <summary>The figures that took the cluster out of rotation, or null while it takes traffic or an operator holds it out.</summary>
    string? OutageOf(string clusterId);
}
