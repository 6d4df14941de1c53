using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic;

/// <summary>Registers weighted traffic splitting for a YARP application.</summary>
public static class TrafficSplitServiceCollectionExtensions
{
    /// <summary>Adds the split store with its state repository, the <c>TrafficSplit</c> configuration reader and its hot-reload watcher.</summary>
    public static IServiceCollection AddTrafficSplitting(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSplitState();
        services.TryAddSingleton(sp => new SplitStore(sp.GetRequiredService<ISplitStateRepository>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<TrafficSplitConfigState>();
        services.TryAddSingleton<ProxyTopology>();
        services.TryAddSingleton<TrafficSplitConfigReader>();
        services.AddSingleton<TrafficSplitConfigWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<TrafficSplitConfigWatcher>());
        return services;
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
