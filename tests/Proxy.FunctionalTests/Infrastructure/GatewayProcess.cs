using System.Net;
using System.Net.Http.Headers;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>The gateway as a real operating-system process (<c>dotnet Proxy.Gateway.dll</c>), so that a test can kill -9 it.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly ProjectProcess _process;

    private GatewayProcess(ProjectProcess process, Uri adminAddress, Uri proxyAddress)
    {
        _process = process;
        AdminAddress = adminAddress;
        ProxyAddress = proxyAddress;
    }

    public Uri AdminAddress { get; }

    public Uri ProxyAddress { get; }

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output => _process.Output;

    /// <summary>
    /// Starts the gateway on free loopback ports with <paramref name="configFile"/> (and <paramref name="settings"/>, as
    /// <c>--Key=value</c> arguments) and waits until /readyz answers 200.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(string configFile, string workingDirectory, params string[] settings)
    {
        var adminAddress = new Uri($"http://127.0.0.1:{ProjectProcess.FreePort()}/");
        var proxyAddress = new Uri($"http://127.0.0.1:{ProjectProcess.FreePort()}/");
        var process = ProjectProcess.Start("Proxy.Gateway", ["--config", configFile, $"--Proxy:Urls={proxyAddress}", $"--Admin:Urls={adminAddress}", .. settings], workingDirectory);
        var gateway = new GatewayProcess(process, adminAddress, proxyAddress);
        await gateway.WaitUntilReadyAsync();
        return gateway;
    }

    /// <summary>
    /// Runs the gateway with <paramref name="arguments"/> until it exits (a refused start-up); returns its exit code, all it
    /// printed, and its standard error alone.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(string? workingDirectory, params string[] arguments)
    {
        await using var process = ProjectProcess.Start("Proxy.Gateway", arguments, workingDirectory);
        if (!await process.WaitForExitAsync(TimeSpan.FromSeconds(60)))
        {
            // It started instead of refusing: stop it, and let the exit code tell.
            await process.KillAsync();
        }

        return (process.ExitCode, process.Output, process.Error);
    }

    public HttpClient CreateAdminClient(string key = TestEnvironment.OperatorKey)
    {
        var client = new HttpClient { BaseAddress = AdminAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The operating system's id of the process, for a test that freezes it (SIGSTOP) as a stalled host would be.</summary>
    public int ProcessId => _process.Id;

    /// <summary>SIGKILL: no shutdown, no flush, no disposal.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = AdminAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"the gateway exited with code {(_process.HasExited ? _process.ExitCode : 0)}:{Environment.NewLine}{Output}");
            try
            {
                using var response = await client.GetAsync("readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the gateway was not ready within 60 s:{Environment.NewLine}{Output}");
    }
}
