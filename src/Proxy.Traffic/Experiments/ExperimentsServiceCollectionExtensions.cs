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
    /// <summary>Adds the flag and experiment stores, their runtime-state repositories and the user counters. Called by <c>AddTrafficSplitting()</c>.</summary>
    public static IServiceCollection AddExperimentsAndFlags(this IServiceCollection services)
    {
        // Where the splits are: the SQLite file, the fleet's Redis, or memory.
        services.TryAddSingleton<IFlagStateRepository>(sp => sp.ByStateProvider<IFlagStateRepository>(
            sqlite: path => new SqliteFlagStateRepository(path),
            redis: connection => new RedisFlagStateRepository(connection),
            inMemory: () => new InMemoryFlagStateRepository()));
        services.TryAddSingleton<IExperimentStateRepository>(sp => sp.ByStateProvider<IExperimentStateRepository>(
            sqlite: path => new SqliteExperimentStateRepository(path),
            redis: connection => new RedisExperimentStateRepository(connection),
            inMemory: () => new InMemoryExperimentStateRepository()));
        services.TryAddSingleton<IExperimentCounterFactory>(sp => sp.ByStateProvider<IExperimentCounterFactory>(
            sqlite: _ => new ExactExperimentCounterFactory(),
            redis: connection => new RedisExperimentCounterFactory(connection),
            inMemory: () => new ExactExperimentCounterFactory()));
        services.TryAddSingleton(sp => new FlagStore(sp.GetRequiredService<IFlagStateRepository>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ExperimentStore(
            sp.GetRequiredService<IExperimentStateRepository>(), sp.GetRequiredService<IExperimentCounterFactory>(), sp.GetRequiredService<TimeProvider>()));
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
