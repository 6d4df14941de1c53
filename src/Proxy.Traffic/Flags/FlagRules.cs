using Proxy.Traffic.Configuration;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Flags;

/// <summary>
/// The rules a flag must meet, shared by the configuration reader and the admin API: names that fit in
/// <c>X-Proxy-Flags</c>, a default among the variants, rules that read one thing each, rollout shares that add up.
/// </summary>
public static class FlagRules
{
    /// <summary>Checks a configured flag; <paramref name="fail"/> gets each field (below the flag) and message.</summary>
    public static void Check(string name, FlagOptions flag, IReadOnlySet<string> knownRoutes, Action<string, string> fail)
    {
        if (!ResourceName.IsValid(name))
        {
            fail("", $"flag name '{name}' must be {ResourceName.Rule}");
        }

        if (flag.Variants.Count == 0)
        {
            fail("Variants", "at least one variant is required");
        }

        foreach (var variant in flag.Variants.Keys.Where(v => !ResourceName.IsValid(v)))
        {
            fail($"Variants:{variant}", $"variant name '{variant}' must be {ResourceName.Rule}");
        }

        if (string.IsNullOrEmpty(flag.Default))
        {
            fail("Default", "the default variant is required");
        }
        else if (!flag.Variants.ContainsKey(flag.Default))
        {
            fail("Default", $"variant '{flag.Default}' is not one of Variants");
        }

        if (flag.Routes.Count == 0)
        {
            fail("Routes", "list the routes whose requests carry the flag, or \"*\" for all");
        }

        for (var i = 0; i < flag.Routes.Count; i++)
        {
            if (flag.Routes[i] != "*" && knownRoutes.Count > 0 && !knownRoutes.Contains(flag.Routes[i]))
            {
                fail($"Routes:{i}", $"route '{flag.Routes[i]}' is not defined under ReverseProxy:Routes");
            }
        }

        if (flag.Key is not null && !StickyKey.TryParse(flag.Key, out _, out _))
        {
            fail("Key", "must be header:NAME or cookie:NAME");
        }

        for (var i = 0; i < flag.Rules.Count; i++)
        {
            CheckRule(flag.Rules[i], flag, knownRoutes, (field, message) => fail($"Rules:{i}{field}", message));
        }

        CheckRollout(flag.Rollout, flag.Variants.Keys, flag.Default, "Rollout", fail);
    }

    /// <summary>Checks rollout shares: variants of the flag other than the default, 0–100 with two decimals, at most 100 together.</summary>
    public static void CheckRollout(IReadOnlyDictionary<string, decimal> rollout, IEnumerable<string> variants, string? defaultVariant, string field, Action<string, string> fail)
    {
        var known = variants.ToHashSet(StringComparer.Ordinal);
        var sum = 0m;
        foreach (var (variant, percent) in rollout)
        {
            if (!known.Contains(variant))
            {
                fail($"{field}:{variant}", $"variant '{variant}' is not one of the flag's variants ({string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
            else if (variant == defaultVariant)
            {
                fail($"{field}:{variant}", "the default variant takes what the others leave; give it no share");
            }

            if (!BasisPoints.IsValidPercent(percent))
            {
                fail($"{field}:{variant}", $"{percent} must be between 0 and 100 with at most two decimals");
                continue;
            }

            sum += percent;
        }

        if (sum > 100m)
        {
            fail(field, $"shares sum to {sum}; they must sum to at most 100");
        }
    }

    private static void CheckRule(FlagRuleOptions rule, FlagOptions flag, IReadOnlySet<string> knownRoutes, Action<string, string> fail)
    {
        var set = new[] { rule.Header, rule.Cookie, rule.Route, rule.Path }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (set != 1)
        {
            fail("", "set exactly one of Header, Cookie, Route or Path");
        }

        if ((!string.IsNullOrWhiteSpace(rule.Header) || !string.IsNullOrWhiteSpace(rule.Cookie)) && rule.Values.Count == 0)
        {
            fail(":Values", "a header or cookie rule lists the values it matches");
        }

        if (!string.IsNullOrWhiteSpace(rule.Route) && knownRoutes.Count > 0 && !knownRoutes.Contains(rule.Route))
        {
            fail(":Route", $"route '{rule.Route}' is not defined under ReverseProxy:Routes");
        }

        if (!string.IsNullOrWhiteSpace(rule.Path) && !rule.Path.StartsWith('/'))
        {
            fail(":Path", "a path prefix starts with '/'");
        }

        if (string.IsNullOrEmpty(rule.Variant) || !flag.Variants.ContainsKey(rule.Variant))
        {
            fail(":Variant", $"variant '{rule.Variant}' is not one of Variants");
        }
    }

    /// <summary>Compiles a validated flag with its runtime setting over it, if any.</summary>
    public static FeatureFlag Compile(string name, FlagOptions flag, FlagOverride? runtime)
    {
        string[] variants = [.. flag.Variants.Keys];
        var defaultName = runtime?.Default ?? flag.Default!;
        var defaultIndex = Array.IndexOf(variants, defaultName);
        var rollout = runtime?.Rollout ?? flag.Rollout;
        var shares = new int[variants.Length];
        for (var i = 0; i < variants.Length; i++)
        {
            shares[i] = i == defaultIndex ? 0 : BasisPoints.FromPercent(rollout.GetValueOrDefault(variants[i]));
        }

        shares[defaultIndex] = BasisPoints.Total - shares.Sum();
        var key = FlagKeySource.Default;
        if (flag.Key is not null && StickyKey.TryParse(flag.Key, out var header, out var cookie))
        {
            key = new FlagKeySource(header, cookie);
        }

        return new FeatureFlag(
            name,
            variants,
            [.. variants.Select(v => FlagValue.Parse(flag.Variants[v]))],
            defaultIndex,
            [.. flag.Rules.Select(r => FlagRule.From(r, Array.IndexOf(variants, r.Variant)))],
            shares,
            key,
            runtime?.Enabled ?? flag.Enabled,
            [.. flag.Routes]);
    }

    /// <summary>A fingerprint of a configured flag: a runtime setting holds until it changes.</summary>
    public static string Fingerprint(FlagOptions flag) => System.Text.Json.JsonSerializer.Serialize(flag);
}
