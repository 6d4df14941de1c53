namespace Proxy.Traffic.State;

/// <summary>
/// The kinds of runtime setting the state store keeps. A new kind (approvals) is a new name here and a
/// typed view over <see cref="RuntimeStateStore"/>: revisions, compare-and-set, audit, fleet sync and rebuild come with it.
/// </summary>
public static class SettingKinds
{
    /// <summary>A route's split: stable cluster and weights (<see cref="SplitSetting"/>).</summary>
    public const string Split = "split";

    /// <summary>A route's mirror set at runtime (<see cref="MirrorOverride"/>).</summary>
    public const string Mirror = "mirror";

    /// <summary>A cluster an operator isolated (<see cref="ManualIsolation"/>).</summary>
    public const string Isolation = "isolation";

    /// <summary>A route's latest rollout (<see cref="Rollouts.RolloutState"/>).</summary>
    public const string Rollout = "rollout";

    /// <summary>A feature flag's runtime setting: kill switch, default, rollout (<see cref="Flags.FlagOverride"/>).</summary>
    public const string Flag = "flag";

    /// <summary>An experiment stopped or promoted at runtime (<see cref="Experiments.ExperimentStatus"/>).</summary>
    public const string Experiment = "experiment";
}
