using Microsoft.Extensions.Configuration;

namespace Proxy.Traffic.Configuration;

/// <summary>
/// Finds the names under a configuration section that are spelled in more than one case (<c>Checkout</c> and <c>checkout</c>),
/// in one source or across sources. <see cref="IConfiguration"/> compares keys case-insensitively, so such names are silently
/// merged into one section with fields from each, under either spelling; the bound dictionary never sees two.
/// </summary>
internal static class CaseVariantKeys
{
    /// <summary>Each name under <paramref name="sectionPath"/> with more than one spelling, as its spellings (ordinal order).</summary>
    public static IReadOnlyList<string[]> Under(IConfiguration configuration, string sectionPath)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return [];
        }

        // Each provider keeps the spelling its source used; the root's GetChildren has already merged them.
        return [.. root.Providers
            .SelectMany(p => p.GetChildKeys([], sectionPath))
            .Distinct(StringComparer.Ordinal)
            .GroupBy(k => k, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Skip(1).Any())
            .Select(g => g.Order(StringComparer.Ordinal).ToArray())];
    }
}
