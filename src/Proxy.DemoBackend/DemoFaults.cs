namespace Proxy.DemoBackend;

/// <summary>Fault settings of a demo upstream: injected errors, latency, aborts and health, changeable at run time.</summary>
/// <remarks>Each property is read once per request without locks; a change applies to the next request.</remarks>
public sealed class DemoFaults
{
    private double _errorRate;
    private int _latencyMs;
    private volatile bool _healthy = true;
    private double _abortRate;

    /// <summary>Fraction (0..1) of normal requests answered with 500.</summary>
    public double ErrorRate
    {
        get => Volatile.Read(ref _errorRate);
        set => Volatile.Write(ref _errorRate, RequireRate(value, nameof(ErrorRate)));
    }

    /// <summary>Delay in milliseconds added before answering normal requests.</summary>
    public int LatencyMs
    {
        get => Volatile.Read(ref _latencyMs);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _latencyMs, value);
        }
    }

    /// <summary>When false, <c>/healthz</c> answers 503.</summary>
    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    /// <summary>Fraction (0..1) of normal requests whose connection is aborted without a response.</summary>
    public double AbortRate
    {
        get => Volatile.Read(ref _abortRate);
        set => Volatile.Write(ref _abortRate, RequireRate(value, nameof(AbortRate)));
    }

    /// <summary>Restores the defaults: no errors, no latency, healthy, no aborts.</summary>
    public void Clear()
    {
        ErrorRate = 0;
        LatencyMs = 0;
        Healthy = true;
        AbortRate = 0;
    }

    /// <summary>True when a request should be answered with 500, drawn at the current error rate.</summary>
    internal bool ShouldFail() => Draw(ErrorRate);

    /// <summary>True when a request's connection should be aborted, drawn at the current abort rate.</summary>
    internal bool ShouldAbort() => Draw(AbortRate);

    private static bool Draw(double rate) => rate > 0 && (rate >= 1 || Random.Shared.NextDouble() < rate);

    private static double RequireRate(double value, string name)
    {
        if (!IsValidRate(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "A rate must be between 0 and 1.");
        }

        return value;
    }

    internal static bool IsValidRate(double value) => value is >= 0 and <= 1;
}
