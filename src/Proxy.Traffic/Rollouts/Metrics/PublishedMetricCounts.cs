using System.Globalization;
using System.Text;

namespace Proxy.Traffic.Rollouts.Metrics;

/// <summary>
/// The text one instance publishes for one cluster and one period: <c>requests failures bucket:count …</c>, listing only
/// the latency buckets that are not empty (a second of traffic usually fills a handful).
/// </summary>
internal static class PublishedMetricCounts
{
    public static string Write(long requests, long failures, ReadOnlySpan<long> latency)
    {
        var text = new StringBuilder(64);
        text.Append(CultureInfo.InvariantCulture, $"{requests} {failures}");
        for (var bucket = 0; bucket < latency.Length; bucket++)
        {
            if (latency[bucket] != 0)
            {
                text.Append(CultureInfo.InvariantCulture, $" {bucket}:{latency[bucket]}");
            }
        }

        return text.ToString();
    }

    /// <summary>Adds one published text to the sums; throws <see cref="FormatException"/> on text this version did not write.</summary>
    public static void AddTo(ReadOnlySpan<char> text, ref long requests, ref long failures, Span<long> latency)
    {
        var part = 0;
        foreach (var range in text.Split(' '))
        {
            var field = text[range];
            switch (part++)
            {
                case 0:
                    requests += long.Parse(field, CultureInfo.InvariantCulture);
                    break;
                case 1:
                    failures += long.Parse(field, CultureInfo.InvariantCulture);
                    break;
                default:
                    var colon = field.IndexOf(':');
                    var bucket = colon < 0 ? -1 : int.Parse(field[..colon], CultureInfo.InvariantCulture);
                    if (bucket < 0 || bucket >= latency.Length)
                    {
                        throw new FormatException($"'{field}' is not a latency bucket of the published metric counts.");
                    }

                    latency[bucket] += long.Parse(field[(colon + 1)..], CultureInfo.InvariantCulture);
                    break;
            }
        }

        if (part < 2)
        {
            throw new FormatException($"'{text}' is not published metric counts.");
        }
    }
}
