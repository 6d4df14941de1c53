using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Proxy.DemoBackend.Endpoints;
using Proxy.DemoBackend.Grpc;
using Proxy.DemoBackend.Hosting;
using Proxy.DemoBackend.Json;

namespace Proxy.DemoBackend;

/// <summary>A small HTTP upstream that reports its version, with health, fault injection, stats and pass-through test endpoints.</summary>
/// <remarks>
/// Runs its own Kestrel server, so tests, benchmarks and the gateway's demo can start several in one process.
/// It reads no configuration files or environment variables: everything comes from the constructor.
/// </remarks>
public sealed partial class DemoUpstreamServer : IAsyncDisposable
{
    // A port left in TIME_WAIT (or still being released) after StopAsync may refuse a bind for a moment.
    private static readonly TimeSpan s_rebindTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_rebindDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_shutdownTimeout = TimeSpan.FromSeconds(2);

    private readonly IPAddress _listenAddress;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private WebApplication? _app;
    private volatile bool _isRunning;
    private volatile bool _recordRequests;
    private bool _hasBound;
    private int _port;
    private int? _grpcPort;
    private int _boundGrpcPort;

    /// <summary>Creates a stopped server; call <see cref="StartAsync"/> to listen.</summary>
    /// <param name="version">The version it reports, e.g. <c>blue</c>.</param>
    /// <param name="port">The port to listen on; 0 picks a free one at the first start.</param>
    /// <param name="instance">The instance name it reports; defaults to <c>{version}-{port or a short random id}</c>.</param>
    /// <param name="host">The IP address to listen on (<c>localhost</c> and <c>*</c> are accepted too).</param>
    public DemoUpstreamServer(string version, int port = 0, string? instance = null, string host = "127.0.0.1")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);

        _listenAddress = ListenAddress.Parse(host);
        _port = port;
        Version = version;
        Instance = instance ?? $"{version}-{(port != 0 ? port.ToString(System.Globalization.CultureInfo.InvariantCulture) : Convert.ToHexStringLower(Guid.NewGuid().ToByteArray(), 0, 3))}";
        Host = host;
    }

    /// <summary>The version this server reports in every answer.</summary>
    public string Version { get; }

    /// <summary>The instance name this server reports in every answer.</summary>
    public string Instance { get; }

    /// <summary>The host it listens on, as given to the constructor.</summary>
    public string Host { get; }

    /// <summary>The port it listens on; the actual bound port once started, and the same one after a restart.</summary>
    public int Port => Volatile.Read(ref _port);

    /// <summary>The address to call it on (loopback when it listens on all interfaces).</summary>
    public Uri BaseAddress => ListenAddress.ToBaseAddress(_listenAddress, Port);

    /// <summary>The current fault settings; changes apply to the next request.</summary>
    public DemoFaults Faults { get; } = new();

    /// <summary>gRPC fault settings; changes apply to the next call.</summary>
    public DemoGrpcFaults GrpcFaults { get; } = new();

    /// <summary>
    /// The port of a second listener speaking cleartext HTTP/2 only (h2c, prior knowledge) for the gRPC service; null for
    /// none (the default), 0 for a free one at the first start.
    /// </summary>
    public int? GrpcPort
    {
        get => _grpcPort;
        init
        {
            if (value is { } port)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(port);
                ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
            }

            _grpcPort = value;
        }
    }

    /// <summary>The address of the gRPC (h2c) listener; null without <see cref="GrpcPort"/>.</summary>
    public Uri? GrpcAddress => _grpcPort is null ? null : ListenAddress.ToBaseAddress(_listenAddress, Volatile.Read(ref _boundGrpcPort));

    /// <summary>Counters of served requests; they survive a stop and start.</summary>
    public DemoStats Stats { get; } = new();

    /// <summary>True between a completed <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning => _isRunning;

    /// <summary>When true, normal requests are kept in <see cref="DemoStats.RecentRequests"/> (off by default, it costs a hash per body).</summary>
    public bool RecordRequests
    {
        get => _recordRequests;
        set => _recordRequests = value;
    }

    /// <summary>Where Kestrel and this server log; nothing is logged when not set.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock used for injected latency, event intervals and request timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Binds and starts serving; after a stop it binds the same port again. Does nothing when already running.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_isRunning)
            {
                return;
            }

            // Rebinding waits on the real clock: a fake TimeProvider in a test must not stall a restart.
            var bindStarted = TimeProvider.System.GetTimestamp();
            while (true)
            {
                var app = BuildApplication();
                try
                {
                    await app.StartAsync(ct).ConfigureAwait(false);
                    _app = app;
                    break;
                }
                catch (IOException ex) when (ex.InnerException is AddressInUseException && _hasBound && TimeProvider.System.GetElapsedTime(bindStarted) < s_rebindTimeout)
                {
                    await app.DisposeAsync().ConfigureAwait(false);
                    await Task.Delay(s_rebindDelay, ct).ConfigureAwait(false);
                }
                catch
                {
                    await app.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }

            Volatile.Write(ref _port, BoundPort(_app, 0));
            if (_grpcPort is not null)
            {
                Volatile.Write(ref _boundGrpcPort, BoundPort(_app, 1));
            }

            _hasBound = true;
            _isRunning = true;
            Log.Started(Logger, Version, Instance, ListenAddress.ToListenUrl(_listenAddress, Port));
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Closes the listener (new connections are refused), lets in-flight requests finish briefly, then aborts the rest.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_app is not { } app)
            {
                return;
            }

            _app = null;
            _isRunning = false;
            try
            {
                await app.StopAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            Log.Stopped(Logger, Version, Instance);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the server if it is running.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _lifecycle.Dispose();
    }

    private ILogger Logger => LoggerFactory?.CreateLogger<DemoUpstreamServer>() ?? NullLogger<DemoUpstreamServer>.Instance;

    private WebApplication BuildApplication()
    {
        // The empty builder reads no appsettings or environment, so an embedding process's Urls/Kestrel settings cannot leak in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(_listenAddress, Port);
            if (_grpcPort is not null)
            {
                // Without TLS there is no ALPN: gRPC clients speak HTTP/2 by prior knowledge, so this listener speaks nothing else.
                kestrel.Listen(_listenAddress, _boundGrpcPort != 0 ? _boundGrpcPort : _grpcPort.Value, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);
        builder.Services.AddRouting();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, DemoJsonContext.Default));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = s_shutdownTimeout);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        if (LoggerFactory is { } loggerFactory)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        var app = builder.Build();
        app.UseWebSockets();
        app.MapHealthApi(this);
        app.MapFaultsApi(this);
        app.MapStatsApi(this);
        app.MapWebSocketEchoApi();
        app.MapServerSentEventsApi(this);
        app.MapDownloadApi();
        app.MapUploadApi();
        app.MapUnknownDemoApi();
        app.MapGrpcService<DemoGrpcService>();
        app.MapEchoApi(this);
        return app;
    }

    private static int BoundPort(WebApplication app, int listener)
    {
        // Kestrel replaces port 0 with the port it actually bound, in the order the listeners were declared.
        return new Uri(app.Urls.ElementAt(listener)).Port;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Demo upstream {Version} ({Instance}) listening on {Url}")]
        public static partial void Started(ILogger logger, string version, string instance, string url);

        [LoggerMessage(2, LogLevel.Information, "Demo upstream {Version} ({Instance}) stopped")]
        public static partial void Stopped(ILogger logger, string version, string instance);
    }
}
