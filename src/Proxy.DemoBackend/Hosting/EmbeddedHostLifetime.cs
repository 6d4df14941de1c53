namespace Proxy.DemoBackend.Hosting;

/// <summary>A host lifetime that ignores Ctrl+C and SIGTERM: the process that embeds a demo upstream decides when it stops.</summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
