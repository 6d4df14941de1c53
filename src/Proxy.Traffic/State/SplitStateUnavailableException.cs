namespace Proxy.Traffic.State;

/// <summary>
/// The state repository cannot be reached (a shared store is down): nothing was written. Gateways keep serving the
/// split in force (fail static); the admin API answers writes with 503.
/// </summary>
public sealed class SplitStateUnavailableException : Exception
{
    public SplitStateUnavailableException()
    {
    }

    public SplitStateUnavailableException(string message)
        : base(message)
    {
    }

    public SplitStateUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
