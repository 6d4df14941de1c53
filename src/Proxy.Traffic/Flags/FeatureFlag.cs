using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Flags;

/// <summary>
/// One feature flag compiled for evaluation: variants, default, rules and the percentage rollout laid out over the 10,000
/// sticky buckets with the splits' <see cref="BucketLayout"/> (the default variant in the place of stable), so that raising
/// a variant's percentage never takes it away from a user who had it. Immutable; a change builds a new one.
/// </summary>
public sealed class FeatureFlag
{
    private readonly FlagRule[] _rules;
    private readonly int[] _rolloutBasisPoints;
    private readonly string[] _headerParts;

    public FeatureFlag(
        string name,
        IReadOnlyList<string> variants,
        IReadOnlyList<object> values,
        int defaultVariant,
        IReadOnlyList<FlagRule> rules,
        IReadOnlyList<int> rolloutBasisPoints,
        FlagKeySource key,
        bool enabled,
        IReadOnlyList<string> routes)
    {
        Name = name;
        Variants = variants;
        Values = values;
        DefaultVariant = defaultVariant;
        _rules = [.. rules];
        _rolloutBasisPoints = [.. rolloutBasisPoints];
        Key = key;
        Enabled = enabled;
        Routes = routes;
        HasRollout = _rolloutBasisPoints.Where((_, i) => i != defaultVariant).Any(b => b > 0);
        Layout = BucketLayout.Create(_rolloutBasisPoints, defaultVariant);
        _headerParts = [.. variants.Select(v => $"{name}={v}")];
    }

    /// <summary>The flag's name (its OFREP key).</summary>
    public string Name { get; }

    /// <summary>Variant names, in configuration order.</summary>
    public IReadOnlyList<string> Variants { get; }

    /// <summary>Each variant's typed value.</summary>
    public IReadOnlyList<object> Values { get; }

    /// <summary>Index of the default variant.</summary>
    public int DefaultVariant { get; }

    /// <summary>Targeting rules, first match wins.</summary>
    public IReadOnlyList<FlagRule> Rules => _rules;

    /// <summary>Rollout share of each variant in basis points (the default holds the rest).</summary>
    public IReadOnlyList<int> RolloutBasisPoints => _rolloutBasisPoints;

    /// <summary>True when some non-default variant has a share of the rollout.</summary>
    public bool HasRollout { get; }

    /// <summary>Where a user's key comes from.</summary>
    public FlagKeySource Key { get; }

    /// <summary>False while the kill switch is on.</summary>
    public bool Enabled { get; }

    /// <summary>The routes whose requests carry the flag (<c>*</c>: all).</summary>
    public IReadOnlyList<string> Routes { get; }

    /// <summary>Bucket → variant index of the rollout.</summary>
    public BucketLayout Layout { get; }

    /// <summary>Index of a variant, or -1.</summary>
    public int IndexOf(string variant)
    {
        for (var i = 0; i < Variants.Count; i++)
        {
            if (string.Equals(Variants[i], variant, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>"name=variant" for a variant index: what <c>X-Proxy-Flags</c> carries.</summary>
    public string HeaderPart(int variant) => _headerParts[variant];

    /// <summary>Evaluates the flag: kill switch → rules in order → rollout by the user's bucket → default. Allocates nothing.</summary>
    public FlagEvaluation Evaluate<TContext>(in TContext context)
        where TContext : struct, IFlagContext
    {
        if (!Enabled)
        {
            return new FlagEvaluation(DefaultVariant, FlagReason.Disabled);
        }

        foreach (var rule in _rules)
        {
            if (rule.Matches(context))
            {
                return new FlagEvaluation(rule.Variant, FlagReason.TargetingMatch);
            }
        }

        if (HasRollout && context.TryGetKey(Key, out var key))
        {
            return new FlagEvaluation(Layout.ClusterFor(StickyKeyHasher.BucketOf(Name, key)), FlagReason.Split);
        }

        return new FlagEvaluation(DefaultVariant, FlagReason.Static);
    }
}
