using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Rollouts.State;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Rollouts;

/// <summary>Registers the metric windows, the rollout state repository and the rollout controller.</summary>
public static class RolloutServiceCollectionExtensions
{
    /// <summary>Adds rollouts; their state goes where the <c>State</c> section puts split state (SQLite file, or memory).</summary>
    public static IServiceCollection AddRollouts(this IServiceCollection services)
    {
        services.TryAddSingleton<ClusterMetricWindows>();
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
}
