using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;
using Proxy.Traffic.Rollouts.Coordination;
using Proxy.Traffic.Rollouts.Fleet;
using Proxy.Traffic.Rollouts.Metrics;
using Proxy.Traffic.Rollouts.Templates;
using Proxy.Traffic.Rollouts.Webhooks;
using Proxy.Traffic.State;
using Proxy.Traffic.Webhooks;

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
        services.TryAddSingleton<IRolloutMetricsSource>(sp => sp.GetRequiredService<StateBackend>().Redis is { } redis
            ? new RedisFleetMetricsSource(redis, sp.GetRequiredService<TimeProvider>())
            : new LocalRolloutMetricsSource(sp.GetRequiredService<ClusterMetricWindows>()));
        services.AddHostedService(sp => new FleetMetricsPublisher(
            sp.GetRequiredService<ClusterMetricWindows>(),
            sp.GetRequiredService<StateBackend>().Redis,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FleetMetricsPublisher>>()));
        services.TryAddSingleton<RolloutRegistry>();
        services.TryAddSingleton<RolloutStore>();
        services.TryAddSingleton<IRolloutCoordination>(sp => sp.GetRequiredService<StateBackend>().Redis is { } redis
            ? new RedisRolloutCoordination(redis, sp.GetRequiredService<IOptions<StateOptions>>().Value.Redis, sp.GetRequiredService<TimeProvider>())
            : new SingleInstanceCoordination());
        services.TryAddSingleton<IFleetRevisions, ReportedFleetRevisions>();
        services.AddWebhookSender();
        services.AddOptions<RolloutWebhookOptions>().BindConfiguration(RolloutWebhookOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RolloutWebhookOptions>, RolloutWebhookOptionsValidator>());
        services.TryAddSingleton<RolloutHookCaller>();
        services.AddMetricChecks();
        services.TryAddSingleton<RolloutTemplateStore>();
        services.TryAddSingleton<RolloutController>();
        services.AddHostedService(sp => sp.GetRequiredService<RolloutController>());
        return services;
    }
}
