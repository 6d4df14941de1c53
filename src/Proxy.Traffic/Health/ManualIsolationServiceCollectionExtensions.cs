using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Health;

/// <summary>Registers the persistence of operators' cluster isolations.</summary>
public static class ManualIsolationServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ManualIsolationStore"/>. Isolations are kept where the splits are: in the same SQLite file, in the
    /// fleet's Redis (shared by every instance), or in memory. Called by <c>AddTrafficSplitting()</c>.
    /// </summary>
    public static IServiceCollection AddManualIsolation(this IServiceCollection services)
    {
        services.TryAddSingleton<IIsolationStateRepository>(sp => sp.ByStateProvider<IIsolationStateRepository>(
            sqlite: path => new SqliteIsolationStateRepository(path),
            redis: connection => new RedisIsolationStateRepository(connection),
            inMemory: () => new InMemoryIsolationStateRepository()));
        services.TryAddSingleton<ManualIsolationStore>();
        return services;
    }
}
