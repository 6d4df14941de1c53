using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Rollouts.Coordination;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Rollouts.State;
using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Rollouts;

/// <summary>Registers the metric windows and their source for analysis, the rollout state repository and the rollout controller.</summary>
public static class RolloutServiceCollectionExtensions
{
    /// <summary>
    /// Adds rollouts. Their state goes to the SQLite state file, to memory with <c>State:Provider=InMemory</c>, or with
    /// <c>State:Provider=Redis</c> to the fleet's Redis, where one instance at a time leads each rollout through a lease
    /// (see docs/rollouts.md, "Several instances"); every instance then also publishes its metric windows to Redis, and
    /// the analysis judges the requests of the whole fleet.
    /// </summary>
    public static IServiceCollection AddRollouts(this IServiceCollection services)
    {
        services.TryAddSingleton<ClusterMetricWindows>();
        services.TryAddSingleton<IRolloutMetricsSource>(sp => UsesRedis(sp)
            ? new RedisFleetMetricsSource(sp.GetRequiredService<RedisStateConnection>(), sp.GetRequiredService<TimeProvider>())
            : new LocalRolloutMetricsSource(sp.GetRequiredService<ClusterMetricWindows>()));
        services.AddHostedService(sp => new FleetMetricsPublisher(
            sp.GetRequiredService<ClusterMetricWindows>(),
            UsesRedis(sp) ? sp.GetRequiredService<RedisStateConnection>() : null,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FleetMetricsPublisher>>()));
        services.TryAddSingleton<RolloutRegistry>();
        services.TryAddSingleton<IRolloutStateRepository>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SplitStateOptions>>().Value;
            return Provider(sp) switch
            {
                SplitStateOptions.InMemoryProvider => new InMemoryRolloutStateRepository(),
                SplitStateOptions.RedisProvider => new RedisRolloutStateRepository(sp.GetRequiredService<RedisStateConnection>()),
                _ => new SqliteRolloutStateRepository(SplitStateServiceCollectionExtensions.SqlitePath(sp, options)),
            };
        });
        services.TryAddSingleton<IRolloutCoordination>(sp => UsesRedis(sp)
            ? new RedisRolloutCoordination(
                sp.GetRequiredService<RedisStateConnection>(), sp.GetRequiredService<IOptions<SplitStateOptions>>().Value.Redis, sp.GetRequiredService<TimeProvider>())
            : new SingleInstanceCoordination());
        services.TryAddSingleton<RolloutController>();
        services.AddHostedService(sp => sp.GetRequiredService<RolloutController>());
        return services;
    }

    /// <summary>The state provider's canonical name (the validator has refused any other).</summary>
    private static string Provider(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<SplitStateOptions>>().Value.Provider;
        return new[] { SplitStateOptions.InMemoryProvider, SplitStateOptions.RedisProvider }
            .FirstOrDefault(p => string.Equals(p, configured, StringComparison.OrdinalIgnoreCase)) ?? SplitStateOptions.SqliteProvider;
    }

    private static bool UsesRedis(IServiceProvider services) => Provider(services) == SplitStateOptions.RedisProvider;
}
