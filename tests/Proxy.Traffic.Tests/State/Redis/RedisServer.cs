using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Proxy.Traffic.Tests.State.Redis;

/// <summary>
/// A Redis server process on a free loopback port, in a temporary directory; it can be killed and started again on the
/// same port. It is the <c>redis-server</c> on PATH when there is one, embedded Garnet otherwise
/// (<see cref="RedisServerProgram"/>): the tests never skip for want of Redis.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static int _announced;
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-redis-").FullName;
    private readonly bool _durable;
    private Process? _process;

    /// <summary>Starts a server that keeps nothing on disk: started again, it is empty.</summary>
    /// <param name="diagnostics">Given by xunit to class fixtures: the first one says which server the run uses.</param>
    public RedisServer(IMessageSink? diagnostics = null)
        : this(durable: false, diagnostics)
    {
    }

    private RedisServer(bool durable, IMessageSink? diagnostics)
    {
        _durable = durable;
        Port = FreePort();
        Start();
        if (diagnostics is not null && Interlocked.Exchange(ref _announced, 1) == 0)
        {
            diagnostics.OnMessage(new DiagnosticMessage($"Redis tests use {RedisServerProgram.Current.Description}"));
        }
    }

    /// <summary>Starts a server that writes every command to its append-only file before answering, as production should.</summary>
    public static RedisServer Durable(IMessageSink? diagnostics = null) => new(durable: true, diagnostics);

    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for this server, with timeouts short enough for tests.</summary>
    public string Configuration => $"127.0.0.1:{Port},syncTimeout=3000,asyncTimeout=3000";

    public void Start()
    {
        var program = RedisServerProgram.Current;
        try
        {
            _process = Process.Start(program.StartInfo(Port, _directory, _durable))!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{program.Description} could not be started.", ex);
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Generous: embedded Garnet is a .NET process, slow to start on a loaded 2-core machine.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Answers())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{program.Description} did not start on port {Port}.");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Kills the server, as a crash would: clients see their connections drop.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
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

    // Ready once it runs a script: the first one warms up Garnet's Lua engine (a second or more on a loaded machine),
    // which would otherwise count against the first test's timeouts.
    private bool Answers()
    {
        try
        {
            using var client = new TcpClient { ReceiveTimeout = 10_000 };
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.Write("*3\r\n$4\r\nEVAL\r\n$8\r\nreturn 1\r\n$1\r\n0\r\n"u8);
            var buffer = new byte[4];
            return stream.Read(buffer) > 0 && buffer[0] == (byte)':';
        }
        catch (Exception ex) when (ex is SocketException or IOException)
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
