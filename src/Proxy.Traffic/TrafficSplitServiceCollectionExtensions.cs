using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Experiments;
using Proxy.Traffic.Health;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Telemetry;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic;

/// <summary>Registers weighted traffic splitting for a YARP application.</summary>
public static class TrafficSplitServiceCollectionExtensions
{
    /// <summary>
    /// Adds the split store with its state repository, cluster health and breakers, the <c>TrafficSplit</c> configuration
    /// reader and its hot-reload watcher. Call it after <c>AddReverseProxy()</c>. Runtime state goes where the <c>State</c>
    /// section says (SQLite by default), unless the returned builder chooses: <c>.UseSqliteState()</c>, <c>.UseRedisState()</c>,
    /// <c>.UseInMemoryState()</c>.
    /// </summary>
    public static ITrafficSplittingBuilder AddTrafficSplitting(this IServiceCollection services)
    {
        var healthUpdater = services.LastOrDefault(d => d.ServiceType == typeof(IDestinationHealthUpdater))
            ?? throw new InvalidOperationException("Call AddReverseProxy() before AddTrafficSplitting().");
        services.Remove(healthUpdater);
        services.AddSingleton<IDestinationHealthUpdater>(sp => new ActiveHealthReporter(
            (IDestinationHealthUpdater)(healthUpdater.ImplementationInstance
                ?? healthUpdater.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, healthUpdater.ImplementationType!)),
            sp.GetRequiredService<ClusterHealthRegistry>));
        services.AddSingleton<IProxyConfigFilter, AvailableDestinationsDefaults>();
        services.TryAddSingleton<ClusterHealthRegistry>();
        services.TryAddSingleton<IClusterOutages>(sp => sp.GetRequiredService<ClusterHealthRegistry>());
        services.AddMetrics();
        services.TryAddSingleton<TrafficMetrics>();
        services.TryAddSingleton<UpstreamFailureLog>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(RandomBucketSource.Shared);
        services.AddRuntimeState();
        services.TryAddSingleton(sp => new SplitStore(sp.GetRequiredService<RuntimeStateStore>()));
        services.AddTrafficMirroring();
        services.AddExperimentsAndFlags();
        services.AddManualIsolation();
        services.TryAddSingleton<TrafficSplitConfigState>();
        services.TryAddSingleton<ProxyTopology>();
        services.TryAddSingleton<TrafficSplitConfigReader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigurationCheck, TrafficSplitConfigurationCheck>());
        services.TryAddSingleton<ConfigurationFileGuard>();
        services.AddSingleton<TrafficSplitConfigWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<TrafficSplitConfigWatcher>());

        // After the watcher, so that the file is applied before the first catch-up with a shared repository.
        services.TryAddSingleton<StateSyncStatus>();
        services.TryAddSingleton<LocalInstanceReport>();
        services.AddHostedService<StateSync>();

        // After the watcher: the controller resumes rollouts against the splits the watcher has put back in force.
        services.AddRollouts();
        return new TrafficSplittingBuilder(services);
    }
}

/// <summary>Adds the split step to YARP's proxy pipeline.</summary>
public static class TrafficSplitProxyPipelineExtensions
{
    /// <summary>Decides each request's cluster on split routes; call it first in <c>MapReverseProxy(p => …)</c>.</summary>
    public static IReverseProxyApplicationBuilder UseTrafficSplit(this IReverseProxyApplicationBuilder builder)
    {
        builder.UseMiddleware<TrafficSplitMiddleware>();
        return builder;
    }
}
