using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Health;

/// <summary>Registers the persistence of operators' cluster isolations.</summary>
public static class ManualIsolationServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ManualIsolationStore"/>. Isolations are one kind of setting of the state store. Called by <c>AddTrafficSplitting()</c>.
    /// </summary>
    public static IServiceCollection AddManualIsolation(this IServiceCollection services)
    {
        services.TryAddSingleton<ManualIsolationStore>();
        return services;
    }
}
