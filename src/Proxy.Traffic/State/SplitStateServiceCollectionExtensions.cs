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
        services.TryAddSingleton<ISplitStateRepository>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SplitStateOptions>>().Value;
            if (string.Equals(options.Provider, SplitStateOptions.InMemoryProvider, StringComparison.OrdinalIgnoreCase))
            {
                return new InMemorySplitStateRepository();
            }

            if (string.Equals(options.Provider, SplitStateOptions.RedisProvider, StringComparison.OrdinalIgnoreCase))
            {
                return new RedisSplitStateRepository(sp.GetRequiredService<RedisStateConnection>());
            }

            return new SqliteSplitStateRepository(SqlitePath(sp, options));
        });
        return services;
    }

    /// <summary>The state file: <c>State:Sqlite:Path</c>, resolved against the content root.</summary>
    internal static string SqlitePath(IServiceProvider services, SplitStateOptions options)
    {
        var root = services.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
        return Path.Combine(root, options.Sqlite.Path);
    }
}
