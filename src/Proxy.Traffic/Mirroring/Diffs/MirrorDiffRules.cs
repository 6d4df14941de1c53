using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>The bounds of a mirror's answer comparison, checked the same way for the configuration file and the admin API.</summary>
public static class MirrorDiffRules
{
    /// <summary>The most entries of each list.</summary>
    public const int MaxListEntries = 100;

    /// <summary>The smallest memory limit accepted: 64 KiB.</summary>
    public const long MinMemoryBytes = 64 * 1024;

    /// <summary>The largest memory limit accepted: 1 GiB.</summary>
    public const long MaxMemoryBytesLimit = 1024L * 1024 * 1024;

    /// <summary>The most endpoints or fields per endpoint accepted.</summary>
    public const int MaxTrackedLimit = 1000;

    /// <summary>
    /// Reports each invalid value through <paramref name="fail"/>(field, message), named below <c>Diff:</c> (configuration)
    /// or, with <paramref name="jsonNames"/>, below <c>diff.</c> (admin API).
    /// </summary>
    public static void Check(MirrorDiffRequest? diff, bool jsonNames, Action<string, string> fail)
    {
        if (diff is null)
        {
            return;
        }

        string field(string name) => jsonNames ? "diff." + char.ToLowerInvariant(name[0]) + name[1..] : "Diff:" + name;
        string entry(string name, int i) => jsonNames ? $"{field(name)}[{i}]" : $"{field(name)}:{i}";

        CheckList(diff.Ignore, "Ignore", IsField, "is not a field: use a JSON path ($.a.b, $.items[*].id), status, body or headers.{name}");
        CheckList(diff.Sets, "Sets", p => DiffPath.IsJsonPattern(p), "is not a JSON path such as $.tags or $.items[*].roles");
        CheckList(diff.Headers, "Headers", IsHeaderName, "is not a header name");
        CheckList(diff.Redact, "Redact", p => DiffPath.IsJsonPattern(p) || IsHeaderName(p), "is not a header name, a JSON property name or a JSON path");

        if (diff.MaxBodyBytes is < 0 or > MirrorRules.MaxBodyBytesLimit)
        {
            fail(field("MaxBodyBytes"), $"must be between 0 and {MirrorRules.MaxBodyBytesLimit}");
        }

        if (diff.NoisePercentage is { } noise && !BasisPoints.IsValidPercent(noise))
        {
            fail(field("NoisePercentage"), $"percentage {noise} must be between 0 and 100 with at most two decimals");
        }

        if (diff.MaxMemoryBytes is < MinMemoryBytes or > MaxMemoryBytesLimit)
        {
            fail(field("MaxMemoryBytes"), $"must be between {MinMemoryBytes} and {MaxMemoryBytesLimit}");
        }

        if (diff.MaxEndpoints is < 1 or > MaxTrackedLimit)
        {
            fail(field("MaxEndpoints"), $"must be between 1 and {MaxTrackedLimit}");
        }

        if (diff.MaxFields is < 1 or > MaxTrackedLimit)
        {
            fail(field("MaxFields"), $"must be between 1 and {MaxTrackedLimit}");
        }

        void CheckList(List<string>? values, string name, Func<string, bool> valid, string message)
        {
            if (values is null)
            {
                return;
            }

            if (values.Count > MaxListEntries)
            {
                fail(field(name), $"at most {MaxListEntries} entries");
                return;
            }

            for (var i = 0; i < values.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(values[i]) || !valid(values[i].Trim()))
                {
                    fail(entry(name, i), $"'{values[i]}' {message}");
                }
            }
        }
    }

    private static bool IsField(string value) =>
        DiffPath.IsJsonPattern(value) || value is DiffPath.Status or DiffPath.Body
        || (value.StartsWith(DiffPath.HeaderPrefix, StringComparison.Ordinal) && IsHeaderName(value[DiffPath.HeaderPrefix.Length..]));

    // RFC 9110 token characters, the syntax of a header name.
    private static bool IsHeaderName(string value) =>
        value.Length is > 0 and <= 200 && value.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
