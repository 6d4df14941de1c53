using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Proxy.Traffic.Experiments.Counting;
using Proxy.Traffic.Flags;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Experiments;

/// <summary>Registers feature flags and A/B experiments for a YARP application.</summary>
public static class ExperimentsServiceCollectionExtensions
{
    /// <summary>Adds the flag and experiment stores (views of the runtime-state store) and the user counters. Called by <c>AddTrafficSplitting()</c>.</summary>
    public static IServiceCollection AddExperimentsAndFlags(this IServiceCollection services)
    {
        // Fleet-wide counts in the fleet's Redis when the state is shared there; exact counts on one instance.
        services.TryAddSingleton<IExperimentCounterFactory>(sp => sp.GetRequiredService<StateBackend>().Redis is { } redis
            ? new RedisExperimentCounterFactory(redis)
            : new ExactExperimentCounterFactory());
        services.TryAddSingleton(sp => new FlagStore(sp.GetRequiredService<RuntimeStateStore>()));
        services.TryAddSingleton(sp => new ExperimentStore(sp.GetRequiredService<RuntimeStateStore>(), sp.GetRequiredService<IExperimentCounterFactory>()));
        return services;
    }
}

/// <summary>Adds the flag and experiment steps to YARP's proxy pipeline.</summary>
public static class ExperimentsProxyPipelineExtensions
{
    /// <summary>Passes flags upstream and counts experiments' users; call it before <c>UseTrafficSplit()</c>, so it runs once per request.</summary>
    public static IReverseProxyApplicationBuilder UseExperimentsAndFlags(this IReverseProxyApplicationBuilder builder)
    {
        builder.UseMiddleware<FeatureFlagMiddleware>();
        builder.UseMiddleware<ExperimentMiddleware>();
        return builder;
    }
}
