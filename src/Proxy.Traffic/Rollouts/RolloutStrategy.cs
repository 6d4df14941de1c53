namespace Proxy.Traffic.Rollouts;

/// <summary>How a rollout moves traffic to its candidate.</summary>
public enum RolloutStrategy
{
    /// <summary>Growing weights, one step at a time.</summary>
    Canary,

    /// <summary>Override (preview) traffic only, then 100% in one switch, with the previous stable kept as the rollback target.</summary>
    BlueGreen,
}
