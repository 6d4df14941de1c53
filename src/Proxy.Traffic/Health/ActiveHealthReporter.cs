using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Health;

/// <summary>
/// Decorates YARP's destination health updater so that every active probe round also reaches the cluster's
/// breaker (isolation when no destination is healthy, recovery when one is).
/// </summary>
/// <remarks>The registry is resolved on first use: it depends on YARP's proxy state, which depends on this updater.</remarks>
internal sealed class ActiveHealthReporter(IDestinationHealthUpdater inner, Func<ClusterHealthRegistry> registry) : IDestinationHealthUpdater
{
    public void SetActive(ClusterState cluster, IEnumerable<NewActiveDestinationHealth> destinationHealths)
    {
        inner.SetActive(cluster, destinationHealths);

        // Called on YARP's probing thread; the breaker's manual control completes synchronously.
        registry().OnActiveHealthChangedAsync(cluster).AsTask().GetAwaiter().GetResult();
    }

    public void SetPassive(ClusterState cluster, DestinationState destination, DestinationHealth newHealth, TimeSpan reactivationPeriod) =>
        inner.SetPassive(cluster, destination, newHealth, reactivationPeriod);
}
