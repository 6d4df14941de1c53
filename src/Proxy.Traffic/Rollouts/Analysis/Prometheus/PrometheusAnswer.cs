using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Proxy.Traffic.Rollouts.Analysis.Prometheus;

/// <summary>What one query gave: a number, or why there is none (every such case makes the check inconclusive).</summary>
/// <param name="Value">The value (possibly NaN or infinite), when there is one.</param>
/// <param name="Problem">Why there is no value.</param>
public readonly record struct PrometheusQueryResult(double? Value, string? Problem)
{
    public static PrometheusQueryResult Of(double value) => new(value, null);

    public static PrometheusQueryResult NoValue(string why) => new(null, why);
}

/// <summary>
/// Reads an answer of Prometheus's instant query API (<c>{"status":"success","data":{"resultType":…,"result":…}}</c>): a
/// scalar, or a vector of exactly one sample, gives the value; an empty vector, several series, a range vector, an error
/// answer or anything that is not that JSON gives none, with the reason.
/// </summary>
public static class PrometheusAnswer
{
    private const int MaxErrorChars = 300;

    /// <summary>The result of an answer with <paramref name="status"/> and <paramref name="body"/>.</summary>
    public static PrometheusQueryResult Read(HttpStatusCode status, ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return PrometheusQueryResult.NoValue((int)status is >= 200 and < 300
                ? "Prometheus's answer is not the query API's JSON"
                : $"Prometheus answered {(int)status} {status}");
        }

        using (document)
        {
            return Read(status, document.RootElement);
        }
    }

    private static PrometheusQueryResult Read(HttpStatusCode status, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || Text(root, "status") is not { } outcome)
        {
            return PrometheusQueryResult.NoValue($"Prometheus answered {(int)status} without a query result");
        }

        if (outcome != "success")
        {
            var error = Text(root, "error") is { } text ? text.Length > MaxErrorChars ? text[..MaxErrorChars] + "…" : text : "no reason given";
            return PrometheusQueryResult.NoValue($"Prometheus refused the query ({(int)status}, {Text(root, "errorType") ?? outcome}): {error}");
        }

        if ((int)status is < 200 or >= 300)
        {
            return PrometheusQueryResult.NoValue($"Prometheus answered {(int)status} {status}");
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("result", out var result))
        {
            return PrometheusQueryResult.NoValue("Prometheus's answer has no data.result");
        }

        return Text(data, "resultType") switch
        {
            "scalar" => Sample(result),
            "vector" when result.ValueKind == JsonValueKind.Array => result.GetArrayLength() switch
            {
                0 => PrometheusQueryResult.NoValue("the query returned no series"),
                1 when result[0].ValueKind == JsonValueKind.Object && result[0].TryGetProperty("value", out var value) => Sample(value),
                1 => PrometheusQueryResult.NoValue("the query's series has no value"),
                var n => PrometheusQueryResult.NoValue($"the query returned {n} series; a check needs one (aggregate them, e.g. with sum)"),
            },
            "matrix" => PrometheusQueryResult.NoValue("the query returned a range vector; a check needs one value (wrap it in a function such as rate)"),
            var type => PrometheusQueryResult.NoValue($"the query returned a {type ?? "result without a type"}; a check needs a number"),
        };
    }

    /// <summary>A sample <c>[1435781451.781, "0.25"]</c>: the value is a string, also <c>"NaN"</c>, <c>"+Inf"</c>, <c>"-Inf"</c>.</summary>
    private static PrometheusQueryResult Sample(JsonElement sample)
    {
        if (sample.ValueKind != JsonValueKind.Array || sample.GetArrayLength() != 2 || sample[1].ValueKind != JsonValueKind.String)
        {
            return PrometheusQueryResult.NoValue("the query's sample is not [time, \"value\"]");
        }

        var text = sample[1].GetString()!;
        return text switch
        {
            "+Inf" or "Inf" => PrometheusQueryResult.Of(double.PositiveInfinity),
            "-Inf" => PrometheusQueryResult.Of(double.NegativeInfinity),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => PrometheusQueryResult.Of(value),
            _ => PrometheusQueryResult.NoValue("the query's value is not a number"),
        };
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
