using Proxy.Traffic.Configuration;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>Whether the configuration on disk is the one in force, and the latest refusal.</summary>
/// <param name="AppliedAt">When the configuration in force was applied.</param>
/// <param name="Files">The configuration files kept at their last good version.</param>
/// <param name="Refused">True while the configuration's latest version is refused: what is in force is the last good one, not what is on disk.</param>
/// <param name="Refusal">That refusal: when, which source, every reason. Null when nothing is refused.</param>
/// <param name="LastRefusal">The latest refusal, kept after it was lifted (a file that was missing for a few seconds, say).</param>
public sealed record ConfigStatusResponse(
    DateTimeOffset? AppliedAt,
    IReadOnlyList<string> Files,
    bool Refused,
    ConfigRefusalResponse? Refusal,
    ConfigRefusalResponse? LastRefusal)
{
    /// <summary>The state as the admin API shows it.</summary>
    public static ConfigStatusResponse From(TrafficSplitConfigState state) =>
        new(state.AppliedAt, state.Files, state.Refusal is not null, ConfigRefusalResponse.From(state.Refusal), ConfigRefusalResponse.From(state.LastRefusal));
}

/// <summary>One refused version of a configuration source.</summary>
/// <param name="At">When it was refused.</param>
/// <param name="Source">The file (or the section, for a version refused while it was being applied).</param>
/// <param name="Errors">Every reason, each naming the file or the configuration path.</param>
public sealed record ConfigRefusalResponse(DateTimeOffset At, string Source, IReadOnlyList<string> Errors)
{
    internal static ConfigRefusalResponse? From(ConfigurationRefusal? refusal) =>
        refusal is null ? null : new(refusal.At, refusal.Source, refusal.Errors);
}
