namespace Proxy.Traffic.Flags;

/// <summary>The variant a flag gives one request or context, and why.</summary>
/// <param name="Variant">Index of the variant in <see cref="FeatureFlag.Variants"/>.</param>
/// <param name="Reason">Why: an OpenFeature resolution reason.</param>
public readonly record struct FlagEvaluation(int Variant, FlagReason Reason);

/// <summary>OpenFeature resolution reasons, as OFREP names them.</summary>
public enum FlagReason
{
    /// <summary>No rule and no rollout: the default variant.</summary>
    Static,

    /// <summary>A targeting rule matched.</summary>
    TargetingMatch,

    /// <summary>The percentage rollout placed the user's key.</summary>
    Split,

    /// <summary>The kill switch is on: the default variant.</summary>
    Disabled,
}

/// <summary>The OFREP spelling of <see cref="FlagReason"/>.</summary>
public static class FlagReasons
{
    public static string Name(FlagReason reason) => reason switch
    {
        FlagReason.TargetingMatch => "TARGETING_MATCH",
        FlagReason.Split => "SPLIT",
        FlagReason.Disabled => "DISABLED",
        _ => "STATIC",
    };
}
