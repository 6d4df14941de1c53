using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Configuration;

/// <summary>The result of reading the <c>TrafficSplit</c> section: definitions when valid, otherwise every error.</summary>
public sealed record TrafficSplitConfig(
    IReadOnlyDictionary<string, SplitDefinition> Routes,
    string? ServedByHeader,
    IReadOnlyList<string> Errors)
{
    /// <summary>True when the section has no error.</summary>
    public bool IsValid => Errors.Count == 0;

    internal static TrafficSplitConfig Invalid(IReadOnlyList<string> errors) =>
        new(new Dictionary<string, SplitDefinition>(), null, errors);
}
