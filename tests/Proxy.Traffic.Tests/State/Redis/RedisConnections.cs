using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Tests.State.Redis;

/// <summary>The Redis connections a test class opened, closed when it is disposed.</summary>
public sealed class RedisConnections : IDisposable
{
    private readonly List<RedisStateConnection> _opened = [];

    /// <summary>
    /// Waits until every connection opened so far answers a PING: after the server restarts, a connection can still say it is
    /// connected until its next call finds the old socket dead, and that call fails while it reconnects.
    /// </summary>
    public async Task WaitAnsweringAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        foreach (var connection in _opened)
        {
            while (true)
            {
                try
                {
                    await connection.CallAsync(db => db.PingAsync());
                    break;
                }
                catch (StateUnavailableException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
            }
        }
    }

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
