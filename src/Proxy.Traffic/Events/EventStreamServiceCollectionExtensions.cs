using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.Events;

/// <summary>Registers the event stream and what feeds it; <c>AddTrafficAdmin()</c> calls it.</summary>
public static class EventStreamServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ProxyEventHub"/>, its sources and sampler, and the <c>Admin:Events</c> options.</summary>
    public static IServiceCollection AddTrafficEvents(this IServiceCollection services)
    {
        services.AddOptions<EventStreamOptions>().BindConfiguration(EventStreamOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventStreamOptions>, EventStreamOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProxyEventHub>();
        services.TryAddSingleton<TrafficHistory>();
        services.TryAddSingleton<PeriodicEventSampler>();
        services.AddHostedService<ProxyEventSources>();
        services.AddHostedService(sp => sp.GetRequiredService<PeriodicEventSampler>());
        return services;
    }
}
