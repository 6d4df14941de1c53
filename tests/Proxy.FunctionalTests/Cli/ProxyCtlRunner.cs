using System.Diagnostics;
using Proxy.Cli;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Cli;

/// <summary>What one proxyctl run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout: {Output}{Environment.NewLine}stderr: {Error}";
}

/// <summary>
/// Runs proxyctl in-process through <see cref="ProxyCtl.RunAsync"/> (no terminal, like CI), with its own environment: the
/// gateway's admin address as PROXYCTL_SERVER, a key, and a contexts file in a temporary directory.
/// </summary>
public sealed class ProxyCtlRunner : IDisposable
{
    private readonly string _directory = System.IO.Directory.CreateTempSubdirectory("proxyctl-test-").FullName;

    public ProxyCtlRunner(Uri? server, string? key = TestEnvironment.OperatorKey)
    {
        Environment[CliEnvironment.ConfigFile] = Path.Combine(_directory, "config", "proxyctl.json");
        if (server is not null)
        {
            Environment[CliEnvironment.Server] = server.ToString();
        }

        if (key is not null)
        {
            Environment[CliEnvironment.Key] = key;
        }
    }

    public ProxyCtlRunner(TestEnvironment env, string? key = TestEnvironment.OperatorKey)
        : this(env.AdminAddress, key)
    {
    }

    /// <summary>The variables proxyctl sees.</summary>
    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>A directory for the test's files, deleted with the runner.</summary>
    public string Directory => _directory;

    public string ContextsFile => Environment[CliEnvironment.ConfigFile]!;

    public async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync("", args);

    public async Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var code = await ProxyCtl.RunAsync(args, new CliConsole(output, error, reader, interactive: false, width: 250), new CliEnvironment(Environment));
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs proxyctl until <paramref name="stop"/> is cancelled (a Ctrl-C), its output going to <paramref name="output"/> as it is written.</summary>
    public Task<int> RunUntilCancelledAsync(TextWriter output, CancellationToken stop, params string[] args) =>
        ProxyCtl.RunAsync(args, new CliConsole(output, TextWriter.Null, TextReader.Null, interactive: false, width: 250), new CliEnvironment(Environment), cancellationToken: stop);

    /// <summary>Writes a file in the runner's directory and returns its path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs the built tool as an operating-system process (<c>dotnet proxyctl.dll</c>), with this runner's environment.</summary>
    public async Task<CliResult> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "proxyctl.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);
}
