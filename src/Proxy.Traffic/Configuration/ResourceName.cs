using System.Diagnostics.CodeAnalysis;

namespace Proxy.Traffic.Configuration;

/// <summary>
/// The one rule for the names operators give things (flags and their variants, experiments and their goals, rollout
/// hooks, Prometheus checks, rollout templates, notification receivers): 1 to <see cref="MaxLength"/> ASCII letters,
/// digits, '.', '_' or '-', so that a name goes into a header, a metric tag or a URL without quoting.
/// </summary>
public static class ResourceName
{
    /// <summary>The longest name.</summary>
    public const int MaxLength = 64;

    /// <summary>The rule as error messages state it.</summary>
    public const string Rule = "1 to 64 letters, digits, '.', '_' or '-'";

    /// <summary>True when <paramref name="name"/> meets the rule.</summary>
    public static bool IsValid([NotNullWhen(true)] string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
