using FluentValidation;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Webhooks;

namespace Proxy.Traffic.Rollouts.Analysis.Prometheus;

/// <summary>
/// The rules of an analysis's <c>metrics</c>, wherever the plan is written: at most <see cref="MaxChecks"/> checks, each
/// with a unique name, an absolute http(s) Prometheus address without credentials, a query of bounded length, and finite
/// limits (<c>min</c>, <c>max</c> or both, <c>min</c> ≤ <c>max</c>).
/// </summary>
public static class MetricCheckRules
{
    /// <summary>The most checks one analysis may run every interval.</summary>
    public const int MaxChecks = 10;

    /// <summary>The longest query, before substitution (it goes in a URL).</summary>
    public const int MaxQueryLength = 4000;

    private const int MaxAddressLength = 2000;

    /// <summary>Adds a failure naming the field (<c>analysis.metrics[0].prometheus.address</c>) for each broken rule.</summary>
    public static void Check<T>(ValidationContext<T> context, IReadOnlyList<MetricCheckRequest>? metrics)
    {
        if (metrics is null)
        {
            return;
        }

        if (metrics.Count > MaxChecks)
        {
            context.AddFailure("analysis.metrics", $"at most {MaxChecks} checks");
            return;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < metrics.Count; i++)
        {
            var field = $"analysis.metrics[{i}]";
            if (metrics[i] is not { } check)
            {
                context.AddFailure(field, "a check is required: { \"name\": …, \"prometheus\": { \"address\": …, \"query\": … }, \"max\": … }");
                continue;
            }

            if (!ResourceName.IsValid(check.Name))
            {
                context.AddFailure($"{field}.name", $"a name of {ResourceName.Rule} is required");
            }
            else if (!names.Add(check.Name))
            {
                context.AddFailure($"{field}.name", $"another check is already named '{check.Name}'");
            }

            CheckQuery(context, $"{field}.prometheus", check.Prometheus);
            CheckLimits(context, field, check);
        }
    }

    /// <summary>The checks of a validated request, or null when it has none.</summary>
    public static IReadOnlyList<MetricCheck>? Read(IReadOnlyList<MetricCheckRequest>? metrics) => metrics is { Count: > 0 }
        ? [.. metrics.Select(m => new MetricCheck(m.Name!, new PrometheusQuery(m.Prometheus!.Address!, m.Prometheus.Query!), m.Max, m.Min))]
        : null;

    private static void CheckQuery<T>(ValidationContext<T> context, string field, PrometheusQueryRequest? prometheus)
    {
        if (prometheus is null)
        {
            context.AddFailure(field, "where and what to ask is required: { \"address\": \"http://…:9090\", \"query\": \"…\" }");
            return;
        }

        var problem = OutboundAddress.Check(prometheus.Address, MaxAddressLength, out var uri);
        if (problem == OutboundAddressProblem.NotHttp)
        {
            context.AddFailure($"{field}.address", "an absolute http:// or https:// address of Prometheus is required, e.g. http://127.0.0.1:9090");
        }
        else if (problem == OutboundAddressProblem.Credentials)
        {
            // The plan is stored, shown by the API and written to events: no place for a password.
            context.AddFailure($"{field}.address", "must not carry credentials");
        }
        else if (uri!.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            context.AddFailure($"{field}.address", "is Prometheus's base address, without a query or fragment (/api/v1/query is added to it)");
        }

        if (string.IsNullOrWhiteSpace(prometheus.Query) || prometheus.Query.Length > MaxQueryLength)
        {
            context.AddFailure($"{field}.query", $"a PromQL query of at most {MaxQueryLength} characters is required");
        }
    }

    // Comparisons alone let NaN through; an infinite limit is no limit.
    private static void CheckLimits<T>(ValidationContext<T> context, string field, MetricCheckRequest check)
    {
        if (check.Min is null && check.Max is null)
        {
            context.AddFailure(field, "set max, min or both");
        }

        if (check.Max is { } max && !double.IsFinite(max))
        {
            context.AddFailure($"{field}.max", "must be a finite number");
        }

        if (check.Min is { } min && !double.IsFinite(min))
        {
            context.AddFailure($"{field}.min", "must be a finite number");
        }
        else if (check.Min > check.Max)
        {
            context.AddFailure($"{field}.min", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be at most max ({check.Max})"));
        }
    }
}
