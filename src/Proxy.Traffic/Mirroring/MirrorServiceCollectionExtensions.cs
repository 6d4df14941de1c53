using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Proxy.Traffic.State;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Mirroring;

/// <summary>Registers traffic mirroring (dark launches) for a YARP application.</summary>
public static class MirrorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the mirror store, sender and metrics. Runtime mirrors are one kind of setting of the state store. Called by <c>AddTrafficSplitting()</c>.
    /// </summary>
    public static IServiceCollection AddTrafficMirroring(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new MirrorStore(sp.GetRequiredService<RuntimeStateStore>()));
        services.TryAddSingleton<MirrorSender>();
        services.TryAddSingleton<MirrorMetrics>();
        services.TryAddSingleton<MirrorDiffMetrics>();
        return services;
    }
}

/// <summary>Adds the mirror step to YARP's proxy pipeline.</summary>
public static class TrafficMirrorProxyPipelineExtensions
{
    /// <summary>Copies a share of mirrored routes' requests to their mirror cluster; call it right after <c>UseTrafficSplit()</c>.</summary>
    public static IReverseProxyApplicationBuilder UseTrafficMirror(this IReverseProxyApplicationBuilder builder)
    {
        builder.UseMiddleware<TrafficMirrorMiddleware>();
        return builder;
    }
}
