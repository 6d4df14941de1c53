using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Proxy.Traffic.Rollouts.Analysis.Prometheus;

/// <summary>Registers what runs the Prometheus checks of rollout analyses.</summary>
public static class MetricCheckServiceCollectionExtensions
{
    /// <summary>Adds <see cref="MetricCheckRunner"/> and the <see cref="PrometheusClient"/> with its named <see cref="HttpClient"/>.</summary>
    public static IServiceCollection AddMetricChecks(this IServiceCollection services)
    {
        // The runner's timeout bounds each query; the client's own would only get in its way.
        services.AddHttpClient(PrometheusClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                ConnectTimeout = MetricCheckRunner.QueryTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        services.TryAddSingleton<IPrometheusClient, PrometheusClient>();
        services.TryAddSingleton<MetricCheckRunner>();
        return services;
    }
}
