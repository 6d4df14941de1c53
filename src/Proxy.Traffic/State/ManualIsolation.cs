namespace Proxy.Traffic.State;

/// <summary>
/// A cluster an operator took out of rotation through the admin API: kept by the state repository until a reset, so that
/// it survives restarts and, with a shared repository, holds on every gateway instance.
/// </summary>
/// <param name="ClusterId">The cluster.</param>
/// <param name="Reason">The operator's reason, if given.</param>
/// <param name="Actor">The API key's name.</param>
/// <param name="At">When the cluster was isolated.</param>
public sealed record ManualIsolation(string ClusterId, string? Reason, string Actor, DateTimeOffset At)
{
    /// <summary>The breaker's reason, as operators read it in the cluster's state and in logs.</summary>
    public string Description => Reason is { Length: > 0 } given ? $"{given} (isolated by {Actor})" : $"isolated by {Actor}";
}
