namespace Proxy.Traffic.Splitting;

/// <summary>What made a split change.</summary>
public enum SplitChangeSource
{
    /// <summary>The configuration file (start-up or reload).</summary>
    Config,

    /// <summary>An admin API call.</summary>
    Api,

    /// <summary>The rollout controller.</summary>
    Rollout,

    /// <summary>The state repository at start-up: a persisted split put back in force (no new revision).</summary>
    Restored,

    /// <summary>Another gateway instance, through the shared state repository (already committed there).</summary>
    Remote,
}
