namespace Proxy.Traffic.Flags;

/// <summary>A compiled targeting rule: what it reads, what it matches, the variant it gives.</summary>
public sealed class FlagRule
{
    private readonly string[] _values;

    private FlagRule(FlagRuleKind kind, string name, string[] values, int variant)
    {
        Kind = kind;
        Name = name;
        _values = values;
        Variant = variant;
    }

    /// <summary>What the rule reads.</summary>
    public FlagRuleKind Kind { get; }

    /// <summary>The header or cookie name, the route id, or the path prefix.</summary>
    public string Name { get; }

    /// <summary>The values a header or cookie rule matches.</summary>
    public IReadOnlyList<string> Values => _values;

    /// <summary>Index of the variant the rule gives.</summary>
    public int Variant { get; }

    /// <summary>Compiles validated options.</summary>
    public static FlagRule From(FlagRuleOptions options, int variant)
    {
        if (!string.IsNullOrWhiteSpace(options.Header))
        {
            return new FlagRule(FlagRuleKind.Header, options.Header.Trim(), [.. options.Values], variant);
        }

        if (!string.IsNullOrWhiteSpace(options.Cookie))
        {
            return new FlagRule(FlagRuleKind.Cookie, options.Cookie.Trim(), [.. options.Values], variant);
        }

        return !string.IsNullOrWhiteSpace(options.Route)
            ? new FlagRule(FlagRuleKind.Route, options.Route.Trim(), [], variant)
            : new FlagRule(FlagRuleKind.Path, options.Path!.Trim(), [], variant);
    }

    /// <summary>True when the rule matches the context.</summary>
    public bool Matches<TContext>(in TContext context)
        where TContext : struct, IFlagContext
    {
        ReadOnlySpan<char> value;
        switch (Kind)
        {
            case FlagRuleKind.Header when context.TryGetHeader(Name, out value):
            case FlagRuleKind.Cookie when context.TryGetCookie(Name, out value):
                foreach (var candidate in _values)
                {
                    if (value.Equals(candidate, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }

                return false;
            case FlagRuleKind.Route:
                return string.Equals(context.RouteId, Name, StringComparison.OrdinalIgnoreCase);
            case FlagRuleKind.Path:
                return context.Path.StartsWith(Name, StringComparison.OrdinalIgnoreCase);
            default:
                return false;
        }
    }

    /// <summary>The rule as operators wrote it.</summary>
    public override string ToString() => Kind switch
    {
        FlagRuleKind.Header or FlagRuleKind.Cookie => $"{Kind.ToString().ToLowerInvariant()} {Name} in [{string.Join(", ", _values)}]",
        _ => $"{Kind.ToString().ToLowerInvariant()} {Name}",
    };
}

/// <summary>What a targeting rule reads.</summary>
public enum FlagRuleKind
{
    /// <summary>A request header.</summary>
    Header,

    /// <summary>A cookie.</summary>
    Cookie,

    /// <summary>The route the request is on.</summary>
    Route,

    /// <summary>The request path's prefix.</summary>
    Path,
}
