using Proxy.Traffic.Flags;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>A flag in force: variants, default, rollout, kill switch, rules, where it applies, and what the file says.</summary>
/// <param name="Name">The flag.</param>
/// <param name="Enabled">False while the kill switch is on.</param>
/// <param name="Default">The default variant in force.</param>
/// <param name="Variants">Variant → typed value.</param>
/// <param name="Rollout">Percentage of users per non-default variant.</param>
/// <param name="Rules">Targeting rules in order ("header X-Beta in [1] → on").</param>
/// <param name="Routes">Routes whose requests carry it.</param>
/// <param name="Key">Where a user's key is read (header:NAME or cookie:NAME).</param>
/// <param name="Source"><c>config</c>, or <c>api</c> when a runtime setting is over the file's.</param>
/// <param name="ConfigFile">The file's kill switch, default and rollout.</param>
public sealed record FlagResponse(
    string Name, bool Enabled, string Default, Dictionary<string, object> Variants, Dictionary<string, decimal> Rollout,
    string[] Rules, string[] Routes, string Key, string Source, FlagState? ConfigFile)
{
    /// <summary>Describes a flag in force.</summary>
    public static FlagResponse From(FeatureFlag flag, FlagStore store)
    {
        var state = FlagState.Of(flag);
        var file = store.GetConfigured(flag.Name);
        return new FlagResponse(
            flag.Name,
            flag.Enabled,
            state.Default,
            flag.Variants.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => flag.Values[p.i], StringComparer.Ordinal),
            new Dictionary<string, decimal>(state.Rollout, StringComparer.Ordinal),
            [.. flag.Rules.Select(r => $"{r} → {flag.Variants[r.Variant]}")],
            [.. flag.Routes],
            flag.Key.Header is { } header ? $"header:{header}" : $"cookie:{flag.Key.Cookie}",
            store.GetOverride(flag.Name) is null ? "config" : "api",
            file is null ? null : FlagState.Of(FlagRules.Compile(flag.Name, file, null)));
    }
}
