using Proxy.Traffic.Health;

namespace Proxy.Traffic.Configuration;

/// <summary>Breaker thresholds as written in configuration; unset values inherit (route → <c>TrafficSplit:CircuitBreaker</c> → built-in).</summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>Failure ratio (0–1] over the sampling window that opens the breaker; default 0.5.</summary>
    public double? FailureRatio { get; set; }

    /// <summary>Requests in the window before the ratio counts (≥ 2); default 20.</summary>
    public int? MinimumThroughput { get; set; }

    /// <summary>The sliding window (≥ 0.5 s); default 10 s.</summary>
    public TimeSpan? SamplingDuration { get; set; }

    /// <summary>How long an opened breaker keeps the cluster out before a trial (≥ 0.5 s); default 15 s.</summary>
    public TimeSpan? BreakDuration { get; set; }

    /// <summary>These options over inherited settings.</summary>
    public CircuitBreakerSettings ApplyTo(CircuitBreakerSettings inherited) => new()
    {
        FailureRatio = FailureRatio ?? inherited.FailureRatio,
        MinimumThroughput = MinimumThroughput ?? inherited.MinimumThroughput,
        SamplingDuration = SamplingDuration ?? inherited.SamplingDuration,
        BreakDuration = BreakDuration ?? inherited.BreakDuration,
    };
}
