using System.Text.Json;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Mirroring;

/// <summary>The bounds of a mirror's settings, checked the same way for the configuration file and the admin API.</summary>
public static class MirrorRules
{
    /// <summary>The largest body limit accepted: 16 MiB.</summary>
    public const long MaxBodyBytesLimit = 16 * 1024 * 1024;

    /// <summary>The largest concurrency limit accepted.</summary>
    public const int MaxConcurrencyLimit = 10_000;

    /// <summary>The shortest timeout accepted.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest timeout accepted.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Reports each invalid value through <paramref name="fail"/>(field, message). Fields are named as configuration
    /// paths (<c>Methods:0</c>) or, with <paramref name="jsonNames"/>, as the admin API's JSON (<c>methods[0]</c>).
    /// </summary>
    public static void Check(
        string? cluster,
        decimal? percentage,
        IReadOnlyList<string>? methods,
        long? maxBodyBytes,
        int? maxConcurrency,
        TimeSpan? timeout,
        IReadOnlySet<string> knownClusters,
        bool jsonNames,
        Action<string, string> fail)
    {
        string field(string name) => jsonNames ? JsonNamingPolicy.CamelCase.ConvertName(name) : name;

        if (string.IsNullOrWhiteSpace(cluster))
        {
            fail(field("Cluster"), "the mirror cluster is required");
        }
        else if (knownClusters.Count > 0 && !knownClusters.Contains(cluster))
        {
            fail(field("Cluster"), $"cluster '{cluster}' is not defined under ReverseProxy:Clusters");
        }

        if (percentage is not { } percent)
        {
            fail(field("Percentage"), "the share of requests to mirror (0–100) is required");
        }
        else if (!BasisPoints.IsValidPercent(percent))
        {
            fail(field("Percentage"), $"percentage {percent} must be between 0 and 100 with at most two decimals");
        }

        for (var i = 0; methods is not null && i < methods.Count; i++)
        {
            if (string.IsNullOrEmpty(methods[i]) || !methods[i].All(IsTokenCharacter))
            {
                fail(jsonNames ? $"methods[{i}]" : $"Methods:{i}", $"'{methods[i]}' is not an HTTP method");
            }
        }

        if (maxBodyBytes is < 0 or > MaxBodyBytesLimit)
        {
            fail(field("MaxBodyBytes"), $"must be between 0 and {MaxBodyBytesLimit}");
        }

        if (maxConcurrency is < 1 or > MaxConcurrencyLimit)
        {
            fail(field("MaxConcurrency"), $"must be between 1 and {MaxConcurrencyLimit}");
        }

        if (timeout is { } t && (t < MinTimeout || t > MaxTimeout))
        {
            fail(field("Timeout"), $"must be between {MinTimeout} and {MaxTimeout}");
        }
    }

    // RFC 9110 token characters, the syntax of a method.
    private static bool IsTokenCharacter(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
