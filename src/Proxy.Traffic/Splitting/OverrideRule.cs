using System.Collections.Frozen;

namespace Proxy.Traffic.Splitting;

/// <summary>Where an override rule reads its value from.</summary>
public enum OverrideSource
{
    /// <summary>A request header.</summary>
    Header,

    /// <summary>A request cookie.</summary>
    Cookie,
}

/// <summary>Forces a cluster when a header or cookie carries one of the listed values (values compare case-insensitively).</summary>
public sealed class OverrideRule
{
    private readonly FrozenDictionary<string, string> _clusterByValue;

    public OverrideRule(OverrideSource source, string name, IReadOnlyDictionary<string, string> clusterByValue)
    {
        Source = source;
        Name = name;
        _clusterByValue = clusterByValue.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        ValueLookup = _clusterByValue.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Header or cookie.</summary>
    public OverrideSource Source { get; }

    /// <summary>The header or cookie name.</summary>
    public string Name { get; }

    /// <summary>Value → cluster id.</summary>
    public IReadOnlyDictionary<string, string> ClusterByValue => _clusterByValue;

    /// <summary>Span-keyed view used on the request path so that no string is allocated.</summary>
    internal FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ValueLookup { get; }
}
