using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.State;

/// <summary>Registers the state repository chosen by the <c>State</c> section.</summary>
public static class SplitStateServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ISplitStateRepository"/>: SQLite by default, Redis with <c>State:Provider=Redis</c>, in memory with <c>State:Provider=InMemory</c>.</summary>
    public static IServiceCollection AddSplitState(this IServiceCollection services)
    {
        services.AddOptions<SplitStateOptions>().BindConfiguration(SplitStateOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SplitStateOptions>, SplitStateOptionsValidator>());

        // Created on first use, so only when a Redis-backed store is chosen; every Redis store shares it.
        services.TryAddSingleton(sp => new RedisStateConnection(sp.GetRequiredService<IOptions<SplitStateOptions>>().Value.Redis));
        services.TryAddSingleton<ISplitStateRepository>(sp => sp.ByStateProvider<ISplitStateRepository>(
            sqlite: path => new SqliteSplitStateRepository(path),
            redis: connection => new RedisSplitStateRepository(connection),
            inMemory: () => new InMemorySplitStateRepository()));
        return services;
    }

    /// <summary>
    /// Builds the implementation of the provider the <c>State</c> section chose: every store (splits, mirrors, isolations,
    /// rollouts) picks its implementation here, so they always live in the same place — the SQLite file
    /// (<c>State:Sqlite:Path</c>, resolved against the content root), the fleet's Redis (one shared connection), or memory.
    /// </summary>
    internal static T ByStateProvider<T>(this IServiceProvider services, Func<string, T> sqlite, Func<RedisStateConnection, T> redis, Func<T> inMemory)
    {
        var options = services.GetRequiredService<IOptions<SplitStateOptions>>().Value;
        if (options.Uses(SplitStateOptions.RedisProvider))
        {
            return redis(services.GetRequiredService<RedisStateConnection>());
        }

        if (options.Uses(SplitStateOptions.InMemoryProvider))
        {
            return inMemory();
        }

        var root = services.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
        return sqlite(Path.Combine(root, options.Sqlite.Path));
    }
}
