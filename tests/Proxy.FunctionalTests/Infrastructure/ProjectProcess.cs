using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>One of the repository's executables run as a real child process (<c>dotnet X.dll</c>), its output kept for failure messages.</summary>
public sealed class ProjectProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _error = new();

    private ProjectProcess(Process process) => _process = process;

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>What the process wrote to its standard error alone.</summary>
    public string Error => string.Join(Environment.NewLine, _error);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The operating system's id of the process (to signal it).</summary>
    public int Id => _process.Id;

    /// <summary>Starts <c>dotnet {project}.dll {arguments}</c>.</summary>
    public static ProjectProcess Start(string project, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        start.ArgumentList.Add(ProjectAssembly(project));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var child = new ProjectProcess(new Process { StartInfo = start });
        child._process.OutputDataReceived += (_, e) => child.Record(e.Data);
        child._process.ErrorDataReceived += (_, e) =>
        {
            child.Record(e.Data);
            if (e.Data is not null)
            {
                child._error.Enqueue(e.Data);
            }
        };
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the exit, at most <paramref name="timeout"/>; false (still running) when it did not.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no disposal; its connections are reset.</summary>
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

    /// <summary>A free loopback port (free when asked; the process binds it a moment later).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The <c>{project}.dll</c> that <see cref="Start"/> runs. The test project references the gateway and the demo upstream,
    /// so their dll, deps and runtimeconfig are copied next to the tests.
    /// </summary>
    public static string ProjectAssembly(string project)
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

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
