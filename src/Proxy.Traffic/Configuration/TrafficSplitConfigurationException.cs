namespace Proxy.Traffic.Configuration;

/// <summary>Thrown at start-up when the traffic split configuration is invalid; the message lists every error.</summary>
public sealed class TrafficSplitConfigurationException : Exception
{
    public TrafficSplitConfigurationException(IReadOnlyList<string> errors)
        : base("Invalid traffic split configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
    {
        Errors = errors;
    }

    public TrafficSplitConfigurationException()
        : this([])
    {
    }

    public TrafficSplitConfigurationException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public TrafficSplitConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Each error, naming the configuration path it concerns.</summary>
    public IReadOnlyList<string> Errors { get; }
}
