using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>The gateway as a real operating-system process (<c>dotnet Proxy.Gateway.dll</c>), so that a test can kill -9 it.</summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private GatewayProcess(Process process, Uri adminAddress, Uri proxyAddress)
    {
        _process = process;
        AdminAddress = adminAddress;
        ProxyAddress = proxyAddress;
    }

    public Uri AdminAddress { get; }

    public Uri ProxyAddress { get; }

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>
    /// Starts the gateway on free loopback ports with <paramref name="configFile"/> (and <paramref name="settings"/>, as
    /// <c>--Key=value</c> arguments) and waits until /readyz answers 200.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(string configFile, string workingDirectory, params string[] settings)
    {
        var adminAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var proxyAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[ProjectAssembly("Proxy.Gateway"), "--config", configFile, $"--Proxy:Urls={proxyAddress}", $"--Admin:Urls={adminAddress}", .. settings])
        {
            start.ArgumentList.Add(argument);
        }

        var gateway = new GatewayProcess(new Process { StartInfo = start }, adminAddress, proxyAddress);
        gateway._process.OutputDataReceived += (_, e) => gateway.Record(e.Data);
        gateway._process.ErrorDataReceived += (_, e) => gateway.Record(e.Data);
        gateway._process.Start();
        gateway._process.BeginOutputReadLine();
        gateway._process.BeginErrorReadLine();
        await gateway.WaitUntilReadyAsync();
        return gateway;
    }

    /// <summary>Runs the gateway with <paramref name="arguments"/> until it exits (a refused start-up), and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[ProjectAssembly("Proxy.Gateway"), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // It started instead of refusing: stop it, and let the exit code tell.
            process.Kill();
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, (await output) + (await error));
    }

    public HttpClient CreateAdminClient(string key = TestEnvironment.OperatorKey)
    {
        var client = new HttpClient { BaseAddress = AdminAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>SIGKILL: no shutdown, no flush, no disposal.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

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

    // The test project references the gateway and the demo upstream, so their dll, deps and runtimeconfig are copied next to the tests.
    internal static string ProjectAssembly(string project)
    {
        var local = Path.Combine(AppContext.BaseDirectory, project + ".dll");
        if (File.Exists(Path.ChangeExtension(local, ".runtimeconfig.json")))
        {
            return local;
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
        return Path.Combine(repository, "src", project, "bin", configuration, "net10.0", project + ".dll");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
