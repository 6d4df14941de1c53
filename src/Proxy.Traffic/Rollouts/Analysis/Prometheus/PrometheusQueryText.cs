using System.Globalization;
using System.Text;

namespace Proxy.Traffic.Rollouts.Analysis.Prometheus;

/// <summary>
/// A check's query as sent: <c>{{route}}</c>, <c>{{candidate}}</c> and <c>{{stable}}</c> become the rollout's ids (escaped
/// for a PromQL string, since they go between quotes in a label matcher), <c>{{interval}}</c> the analysis interval in
/// Prometheus's duration syntax (<c>10s</c>, <c>1m30s</c>, <c>500ms</c>). Any other text is left as written.
/// </summary>
public static class PrometheusQueryText
{
    /// <summary>The query of <paramref name="query"/> for one rollout's analysis.</summary>
    public static string Substitute(string query, string route, string candidate, string stable, TimeSpan interval) => new StringBuilder(query)
        .Replace("{{route}}", Escape(route))
        .Replace("{{candidate}}", Escape(candidate))
        .Replace("{{stable}}", Escape(stable))
        .Replace("{{interval}}", Duration(interval))
        .ToString();

    /// <summary>"1m30s", "10s", "500ms", "1h"; whole milliseconds (the analysis interval is at least 100 ms).</summary>
    public static string Duration(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.FromMilliseconds(1));
        var text = new StringBuilder();
        Append(text, (long)duration.TotalHours, "h");
        Append(text, duration.Minutes, "m");
        Append(text, duration.Seconds, "s");
        Append(text, duration.Milliseconds, "ms");
        return text.ToString();
    }

    // Backslashes and double quotes would end or break the string the id is put in.
    private static string Escape(string id) => id.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static void Append(StringBuilder text, long amount, string unit)
    {
        if (amount > 0)
        {
            text.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
