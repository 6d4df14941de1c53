using StackExchange.Redis;

namespace Proxy.Traffic.State.Redis;

/// <summary>
/// The one connection a gateway instance keeps to its fleet's Redis (state, rollout leases, metric windows). It connects
/// in the background and fails calls at once while Redis is unreachable (<see cref="StateUnavailableException"/>: 503).
/// </summary>
public sealed class RedisStateConnection : IAsyncDisposable, IDisposable
{
    private readonly ConnectionMultiplexer _connection;

    /// <summary>Connects with <paramref name="options"/>.</summary>
    public RedisStateConnection(RedisStateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.KeyPrefix);
        Keys = new RedisStateKeys(options.KeyPrefix);
        InstanceName = string.IsNullOrWhiteSpace(options.InstanceName)
            ? $"{Environment.MachineName}-{Environment.ProcessId}"
            : options.InstanceName;

        var configuration = ConfigurationOptions.Parse(options.Configuration);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "proxy-" + InstanceName;
        _connection = ConnectionMultiplexer.Connect(configuration);
    }

    /// <summary>This instance's name in the fleet.</summary>
    public string InstanceName { get; }

    /// <summary>True while Redis can be reached.</summary>
    public bool IsConnected => _connection.IsConnected;

    internal RedisStateKeys Keys { get; }

    /// <summary>Runs <paramref name="call"/>; a connection failure or timeout becomes <see cref="StateUnavailableException"/>.</summary>
    public async Task<T> CallAsync<T>(Func<IDatabase, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call(_connection.GetDatabase()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            throw new StateUnavailableException($"Redis cannot be reached: {ex.Message}", ex);
        }
    }

    /// <inheritdoc cref="CallAsync{T}(Func{IDatabase, Task{T}})"/>
    public Task CallAsync(Func<IDatabase, Task> call) => CallAsync(async db =>
    {
        await call(db).ConfigureAwait(false);
        return true;
    });

    /// <summary>The primary servers (key scans, for the migration of main's layout).</summary>
    internal IEnumerable<IServer> Servers() =>
        _connection.GetEndPoints().Select(e => _connection.GetServer(e)).Where(s => s.IsConnected && !s.IsReplica);

    /// <summary>
    /// Calls <paramref name="received"/> on every message published on <paramref name="channel"/>, and each time a
    /// connection comes back after it was lost: Redis delivers a message only to the subscriptions live when it is
    /// published, so one published while this instance was reconnecting (Redis restarted, a network blip) is gone, and
    /// the subscriber must look for itself.
    /// </summary>
    public async Task SubscribeAsync(RedisChannel channel, Action received)
    {
        ArgumentNullException.ThrowIfNull(received);
        await CallAsync(_ => _connection.GetSubscriber().SubscribeAsync(channel, (_, _) => received())).ConfigureAwait(false);

        // The multiplexer sends its subscriptions again on a restored connection before it raises this event.
        _connection.ConnectionRestored += (_, _) => received();
    }

    public void Dispose() => _connection.Dispose();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
