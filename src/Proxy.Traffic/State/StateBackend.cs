using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.State;

/// <summary>
/// Where this gateway's runtime state lives, chosen once from the <c>State</c> section (which <c>UseSqliteState()</c>,
/// <c>UseRedisState()</c> and <c>UseInMemoryState()</c> set): the repository, and the fleet's Redis connection when the
/// state is shared (rollout leases and fleet-wide metrics use it too).
/// </summary>
public sealed class StateBackend
{
    private StateBackend(IStateRepository repository, RedisStateConnection? redis)
    {
        Repository = repository;
        Redis = redis;
    }

    /// <summary>Where every runtime setting is persisted.</summary>
    public IStateRepository Repository { get; }

    /// <summary>The fleet's Redis, when the state is shared there; null for a single instance.</summary>
    public RedisStateConnection? Redis { get; }

    /// <summary>The backend the <c>State</c> section names; a relative SQLite path is resolved against the content root.</summary>
    internal static StateBackend Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<StateOptions>>().Value;
        if (options.Uses(StateOptions.RedisProvider))
        {
            var connection = new RedisStateConnection(options.Redis);
            return new StateBackend(new RedisStateRepository(connection), connection);
        }

        if (options.Uses(StateOptions.InMemoryProvider))
        {
            return new StateBackend(new InMemoryStateRepository(), null);
        }

        var root = services.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
        return new StateBackend(new SqliteStateRepository(Path.Combine(root, options.Sqlite.Path)), null);
    }
}
