using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>A demo upstream as a real operating-system process (<c>dotnet Proxy.DemoBackend.dll</c>) on a free loopback port, so that a test can kill -9 it.</summary>
public sealed class UpstreamProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private UpstreamProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>Where it listens, e.g. http://127.0.0.1:41236/.</summary>
    public Uri Address { get; }

    /// <summary>Starts the upstream reporting <paramref name="version"/> and waits until its /healthz answers 200.</summary>
    public static async Task<UpstreamProcess> StartAsync(string version)
    {
        var port = GatewayProcess.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[GatewayProcess.ProjectAssembly("Proxy.DemoBackend"), "--version", version, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        var upstream = new UpstreamProcess(new Process { StartInfo = start }, new Uri($"http://127.0.0.1:{port}/"));
        upstream._process.OutputDataReceived += (_, e) => upstream.Record(e.Data);
        upstream._process.ErrorDataReceived += (_, e) => upstream.Record(e.Data);
        upstream._process.Start();
        upstream._process.BeginOutputReadLine();
        upstream._process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = upstream.Address, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(upstream._process.HasExited, $"the upstream exited:{Environment.NewLine}{string.Join(Environment.NewLine, upstream._output)}");
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
}
