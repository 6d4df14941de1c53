using System.Globalization;
using System.Net;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>A demo upstream as a real operating-system process (<c>dotnet Proxy.DemoBackend.dll</c>) on a free loopback port, so that a test can kill -9 it.</summary>
public sealed class UpstreamProcess : IAsyncDisposable
{
    private readonly ProjectProcess _process;

    private UpstreamProcess(ProjectProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>Where it listens, e.g. http://127.0.0.1:41236/.</summary>
    public Uri Address { get; }

    /// <summary>Starts the upstream reporting <paramref name="version"/> and waits until its /healthz answers 200.</summary>
    public static async Task<UpstreamProcess> StartAsync(string version)
    {
        var port = ProjectProcess.FreePort();
        var upstream = new UpstreamProcess(
            ProjectProcess.Start("Proxy.DemoBackend", ["--version", version, "--port", port.ToString(CultureInfo.InvariantCulture)]),
            new Uri($"http://127.0.0.1:{port}/"));

        using var client = new HttpClient { BaseAddress = upstream.Address, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(upstream._process.HasExited, $"the upstream exited:{Environment.NewLine}{upstream._process.Output}");
                try
                {
                    using var response = await client.GetAsync("healthz");
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            },
            "the upstream process did not answer /healthz",
            TimeSpan.FromSeconds(60));
        return upstream;
    }

    /// <summary>SIGKILL: the process is gone at once, its connections reset.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
