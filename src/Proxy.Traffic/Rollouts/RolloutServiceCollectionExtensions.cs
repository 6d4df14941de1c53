using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Rollouts.Coordination;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Rollouts.State;
using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Rollouts;

/// <summary>Registers the metric windows, the rollout state repository and the rollout controller.</summary>
public static class RolloutServiceCollectionExtensions
{
    /// <summary>
    /// Adds rollouts. Their state goes to the SQLite state file, to memory with <c>State:Provider=InMemory</c>, or with
    /// <c>State:Provider=Redis</c> to the fleet's Redis, where one instance at a time leads each rollout through a lease
    /// (see docs/rollouts.md, "Several instances").
    /// </summary>
    public static IServiceCollection AddRollouts(this IServiceCollection services)
    {
        services.TryAddSingleton<ClusterMetricWindows>();
        services.TryAddSingleton<RolloutRegistry>();
        services.TryAddSingleton<IRolloutStateRepository>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SplitStateOptions>>().Value;
            return Provider(options) switch
            {
                SplitStateOptions.InMemoryProvider => new InMemoryRolloutStateRepository(),
                SplitStateOptions.RedisProvider => new RedisRolloutStateRepository(sp.GetRequiredService<RedisStateConnection>()),
                _ => new SqliteRolloutStateRepository(SplitStateServiceCollectionExtensions.SqlitePath(sp, options)),
            };
        });
        services.TryAddSingleton<IRolloutCoordination>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SplitStateOptions>>().Value;
            return Provider(options) == SplitStateOptions.RedisProvider
                ? new RedisRolloutCoordination(sp.GetRequiredService<RedisStateConnection>(), options.Redis, sp.GetRequiredService<TimeProvider>())
                : new SingleInstanceCoordination();
        });
        services.TryAddSingleton<RolloutController>();
        services.AddHostedService(sp => sp.GetRequiredService<RolloutController>());
        return services;
    }

    private static string Provider(SplitStateOptions options) =>
        new[] { SplitStateOptions.InMemoryProvider, SplitStateOptions.RedisProvider }
            .FirstOrDefault(p => string.Equals(p, options.Provider, StringComparison.OrdinalIgnoreCase)) ?? SplitStateOptions.SqliteProvider;
}
