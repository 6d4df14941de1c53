using System.Net;
using System.Net.Sockets;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>
/// A loopback port that refuses every connection for as long as this lives: bound but never listening, so a connect gets
/// ECONNREFUSED at once and no server started by a test running beside it can be given the port (a port that was only
/// opened and closed again can be, and then the "down" receiver answers).
/// </summary>
public sealed class RefusingPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusingPort() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    /// <summary>The refusing port.</summary>
    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary><c>http://127.0.0.1:{port}/{path}</c>.</summary>
    public Uri At(string path) => new($"http://127.0.0.1:{Port}/{path}");

    public void Dispose() => _socket.Dispose();
}
