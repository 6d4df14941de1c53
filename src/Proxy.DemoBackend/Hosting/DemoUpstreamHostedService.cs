namespace Proxy.DemoBackend.Hosting;

/// <summary>Runs one <see cref="DemoUpstreamServer"/> for the lifetime of a generic host.</summary>
public sealed class DemoUpstreamHostedService(DemoUpstreamOptions options, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly DemoUpstreamServer _server = new(options.Version, options.Port, options.Instance, options.Host)
    {
        LoggerFactory = loggerFactory,
    };

    /// <summary>The server this service runs.</summary>
    public DemoUpstreamServer Server => _server;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => _server.StartAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
