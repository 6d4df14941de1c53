using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Tests.State.Redis;

/// <summary>The Redis connections a test class opened, closed when it is disposed.</summary>
public sealed class RedisConnections : IDisposable
{
    private readonly List<RedisStateConnection> _opened = [];

    /// <summary>True when every connection opened so far is connected.</summary>
    public bool AllConnected => _opened.All(c => c.IsConnected);

    /// <summary>Opens a connection (as one gateway instance would) with <paramref name="options"/>.</summary>
    public RedisStateConnection Open(RedisStateOptions options)
    {
        var connection = new RedisStateConnection(options);
        _opened.Add(connection);
        return connection;
    }

    public void Dispose()
    {
        foreach (var connection in _opened)
        {
            connection.Dispose();
        }
    }
}
