namespace Proxy.Traffic.Health;

/// <summary>Thresholds of a cluster's circuit breaker (<c>TrafficSplit:CircuitBreaker</c>, or per route).</summary>
public sealed record CircuitBreakerSettings
{
    /// <summary>Failures (5xx, transport errors, timeouts) over requests in the sampling window that open the breaker.</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>Requests the window must hold before the ratio counts.</summary>
    public int MinimumThroughput { get; init; } = 20;

    /// <summary>The sliding window over which the ratio is measured.</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an opened breaker keeps the cluster out before a trial request.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The built-in defaults.</summary>
    public static CircuitBreakerSettings Default { get; } = new();
}
