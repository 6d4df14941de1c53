using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Proxy.Traffic.Tests.State.Redis;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, in a temporary directory; it can be stopped
/// and started again on the same port. Tests that use it fail (never skip) when redis-server is not installed: .ci/run installs it.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-redis-").FullName;
    private readonly string[] _persistence;
    private Process? _process;

    /// <summary>Starts a server that keeps nothing on disk.</summary>
    public RedisServer()
        : this(["--save", "", "--appendonly", "no"])
    {
    }

    private RedisServer(string[] persistence)
    {
        _persistence = persistence;
        Port = FreePort();
        Start();
    }

    /// <summary>Starts a server that writes every command to its append-only file before answering, as production should.</summary>
    public static RedisServer Durable() => new(["--save", "", "--appendonly", "yes", "--appendfsync", "always"]);

    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for this server, with timeouts short enough for tests.</summary>
    public string Configuration => $"127.0.0.1:{Port},syncTimeout=3000,asyncTimeout=3000";

    public void Start()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _directory, .. _persistence])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run .ci/run, or apt-get install -y redis-server.", ex);
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Answers())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"redis-server did not start on port {Port}.");
            }

            Thread.Sleep(20);
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_directory, recursive: true);
    }

    private bool Answers()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[7];
            return stream.Read(buffer) > 0 && buffer[0] == (byte)'+';
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
