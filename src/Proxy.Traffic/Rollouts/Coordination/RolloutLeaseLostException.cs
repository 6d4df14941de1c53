namespace Proxy.Traffic.Rollouts.Coordination;

/// <summary>Thrown when an instance saves a rollout whose lease another instance holds: it is no longer the leader.</summary>
public sealed class RolloutLeaseLostException : Exception
{
    public RolloutLeaseLostException()
    {
    }

    public RolloutLeaseLostException(string message)
        : base(message)
    {
    }

    public RolloutLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal RolloutLeaseLostException(string routeId, string instance)
        : base($"Instance {instance} no longer leads the rollout of route '{routeId}': another instance holds its lease.")
    {
    }
}
