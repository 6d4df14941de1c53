namespace Proxy.Traffic.Flags;

/// <summary>
/// A flag's runtime setting from the admin API, over the configuration file's flag: the kill switch, the default and the
/// rollout (null: the file's). <see cref="Configured"/> is a fingerprint of the file's flag when it was set: the runtime
/// setting stays in force until the file's flag changes.
/// </summary>
public sealed record FlagOverride(string Name, bool? Enabled, string? Default, IReadOnlyDictionary<string, decimal>? Rollout, string Configured);

/// <summary>One entry of a flag's audit trail.</summary>
/// <param name="Name">The flag.</param>
/// <param name="At">When.</param>
/// <param name="Actor">The API key's name, or <c>config</c>.</param>
/// <param name="Action">What: <see cref="KillAction"/>, <see cref="EnableAction"/>, <see cref="SetAction"/>, <see cref="ConfigAction"/>.</param>
/// <param name="Before">The flag as it was in force (<see cref="FlagState"/>).</param>
/// <param name="After">The flag as it is in force after the change.</param>
/// <param name="Reason">The operator's reason.</param>
public sealed record FlagChange(string Name, DateTimeOffset At, string Actor, string Action, FlagState? Before, FlagState? After, string? Reason)
{
    /// <summary>The kill switch turned on.</summary>
    public const string KillAction = "kill";

    /// <summary>The kill switch turned off.</summary>
    public const string EnableAction = "enable";

    /// <summary>Default or rollout set.</summary>
    public const string SetAction = "set-flag";

    /// <summary>A winner promoted by an experiment.</summary>
    public const string ExperimentAction = "experiment-promote";

    /// <summary>The file's flag changed and replaced the runtime setting.</summary>
    public const string ConfigAction = "config-flag";
}

/// <summary>What of a flag operators change: on/off, default, rollout percentages.</summary>
public sealed record FlagState(bool Enabled, string Default, IReadOnlyDictionary<string, decimal> Rollout)
{
    /// <summary>"on, default off, rollout on=20%", as operators read it in logs.</summary>
    public override string ToString() =>
        $"{(Enabled ? "on" : "killed")}, default {Default}, rollout {(Rollout.Count == 0 ? "none" : string.Join(" ", Rollout.Select(r => $"{r.Key}={r.Value}%")))}";

    /// <summary>The state of a compiled flag.</summary>
    public static FlagState Of(FeatureFlag flag) => new(
        flag.Enabled,
        flag.Variants[flag.DefaultVariant],
        flag.Variants.Select((v, i) => (v, i)).Where(p => p.i != flag.DefaultVariant && flag.RolloutBasisPoints[p.i] > 0)
            .ToDictionary(p => p.v, p => Splitting.BasisPoints.ToPercent(flag.RolloutBasisPoints[p.i]), StringComparer.Ordinal));
}
