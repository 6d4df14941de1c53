using System.Diagnostics;

namespace Proxy.Traffic.Telemetry;

/// <summary>Names of the gateway's own telemetry sources, for OpenTelemetry registration.</summary>
public static class TrafficTelemetry
{
    /// <summary>The meter of split, breaker and rollout metrics.</summary>
    public const string MeterName = "Proxy.Traffic";

    /// <summary>The activity source of control-plane operations (configuration reloads, admin changes).</summary>
    public const string ActivitySourceName = "Proxy.Traffic";

    /// <summary>Span tag: the YARP route of a split request.</summary>
    public const string RouteTag = "proxy.route";

    /// <summary>Span and metric tag: the cluster that served the request.</summary>
    public const string ClusterTag = "proxy.cluster";

    /// <summary>Span and metric tag: why that cluster (<c>weight</c>, <c>sticky</c>, <c>override</c>, <c>fallback</c>, <c>failover</c>).</summary>
    public const string DecisionTag = "proxy.decision";

    /// <summary>Metric tag: the answer's status class (<c>2xx</c> … <c>5xx</c>).</summary>
    public const string StatusClassTag = "proxy.status_class";

    /// <summary>Metric tag: what the request's outcome says about its cluster (<c>answered</c>, <c>upstream_error</c>, <c>upstream_failure</c>, <c>client_aborted</c>, <c>refused</c>).</summary>
    public const string OutcomeTag = "proxy.outcome";

    internal static readonly ActivitySource Source = new(ActivitySourceName);
}
