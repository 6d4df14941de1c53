namespace Proxy.Traffic.State;

/// <summary>
/// A state repository shared by several gateway instances: it tells when another instance committed a change, and
/// whether it can be reached. <see cref="SplitStateSync"/> applies those changes to the local split store.
/// </summary>
public interface ISplitStateChangeFeed
{
    /// <summary>This instance's name in the fleet.</summary>
    string InstanceName { get; }

    /// <summary>True while the shared store is connected.</summary>
    bool IsConnected { get; }

    /// <summary>Calls <paramref name="changed"/> whenever any instance commits; throws <see cref="SplitStateUnavailableException"/> when the store is down.</summary>
    Task SubscribeAsync(Action changed, CancellationToken cancellationToken);
}
