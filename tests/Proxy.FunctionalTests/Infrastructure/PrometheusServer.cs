using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>
/// A real Prometheus (Debian's package: <c>prometheus</c> on PATH, or <c>PROXY_PROMETHEUS</c>) on a free loopback port with
/// its data in a temporary directory, scraping one target every second. Without one the tests that need it are skipped
/// with the reason (<see cref="PrometheusFactAttribute"/>); CI installs it and allows no skip.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    /// <summary>How often the target is scraped.</summary>
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    /// <summary>The executable, or null when there is none.</summary>
    public static readonly string? Executable = Environment.GetEnvironmentVariable("PROXY_PROMETHEUS") is { Length: > 0 } given
        ? given
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "prometheus")).FirstOrDefault(File.Exists);

    private readonly Process _process;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _output = new();

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    /// <summary>Why the Prometheus tests cannot run, or null.</summary>
    public static string? Missing => Executable is null || !File.Exists(Executable)
        ? "no prometheus: install Debian's (apt-get install prometheus; .ci/run does) or set PROXY_PROMETHEUS"
        : null;

    /// <summary>Its address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    /// <summary>What it logged, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts Prometheus scraping <paramref name="target"/>'s <c>/metrics</c> and waits until it has scraped it once.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri target)
    {
        var directory = Directory.CreateTempSubdirectory("proxy-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        var every = $"{ScrapeInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: {every}
              evaluation_interval: {every}
            scrape_configs:
              - job_name: gateway
                scrape_timeout: {every}
                metrics_path: /metrics
                static_configs:
                  - targets: ['{target.Authority}']
            """);

        var address = new Uri($"http://127.0.0.1:{ProjectProcess.FreePort()}");
        var start = new ProcessStartInfo(Executable!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address={address.Authority}", "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var server = new PrometheusServer(process, directory, address);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Generous: a loaded 2-core machine is slow to open the database and to scrape the first time.
            await Eventually.TrueAsync(
                async () => !process.HasExited && await server.QueryAsync("""up{job="gateway"}""") == 1,
                $"Prometheus at {address} did not scrape {target}: {server.Output}",
                TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The value of an instant query with one sample, or null (no series, an error, not up yet).</summary>
    public async Task<double?> QueryAsync(string query)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var answer = await client.GetFromJsonAsync<JsonElement>(new Uri(Address, $"/api/v1/query?query={Uri.EscapeDataString(query)}"));
            return answer.GetProperty("data").GetProperty("result") is { ValueKind: JsonValueKind.Array } result && result.GetArrayLength() == 1
                ? double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}

/// <summary>A test that needs a real Prometheus: skipped, with the reason, where there is none.</summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (PrometheusServer.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}
