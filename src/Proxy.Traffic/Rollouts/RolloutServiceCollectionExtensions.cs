using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Rollouts.State;
using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Rollouts;

/// <summary>Registers the metric windows and their source for analysis, the rollout state repository and the rollout controller.</summary>
public static class RolloutServiceCollectionExtensions
{
    /// <summary>
    /// Adds rollouts. Their state goes to the SQLite state file, or to memory with <c>State:Provider=InMemory</c>. With
    /// Redis it stays in this instance's SQLite file until a Redis rollout repository exists: a rollout runs on the
    /// instance that started it (see docs/rollouts.md, "Several instances"). With Redis every instance also publishes
    /// its metric windows there, and the analysis judges the requests of the whole fleet.
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
            return string.Equals(options.Provider, SplitStateOptions.InMemoryProvider, StringComparison.OrdinalIgnoreCase)
                ? new InMemoryRolloutStateRepository()
                : new SqliteRolloutStateRepository(SplitStateServiceCollectionExtensions.SqlitePath(sp, options));
        });
        services.TryAddSingleton<RolloutController>();
        services.AddHostedService(sp => sp.GetRequiredService<RolloutController>());
        return services;
    }

    private static bool UsesRedis(IServiceProvider services) =>
        string.Equals(services.GetRequiredService<IOptions<SplitStateOptions>>().Value.Provider, SplitStateOptions.RedisProvider, StringComparison.OrdinalIgnoreCase);
}
