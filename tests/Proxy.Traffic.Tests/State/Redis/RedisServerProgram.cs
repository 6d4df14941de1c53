using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Proxy.Traffic.Tests.State.Redis;

/// <summary>
/// The program the Redis tests run as their server, chosen once per test process: the <c>redis-server</c> on PATH when
/// there is one (CI installs it), otherwise embedded Garnet, brought by a package and started from <c>garnet/</c> in the
/// test output, so that a machine with only the .NET SDK runs the same tests.
/// </summary>
internal abstract partial class RedisServerProgram
{
    private static readonly Lazy<RedisServerProgram> Chosen = new(Choose);

    /// <summary>The program this test process uses.</summary>
    public static RedisServerProgram Current => Chosen.Value;

    /// <summary>What the test run reports, e.g. <c>redis-server 7.0.15 at /usr/bin/redis-server</c>.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// How to start a server on <paramref name="port"/> that keeps its files in <paramref name="directory"/>: a
    /// <paramref name="durable"/> one writes every command to disk before answering and reads it back when started again;
    /// any other starts empty every time.
    /// </summary>
    public abstract ProcessStartInfo StartInfo(int port, string directory, bool durable);

    private static RedisServerProgram Choose() =>
        FindOnPath("redis-server") is { } redis ? new RealRedis(redis) : new EmbeddedGarnet();

    private static string? FindOnPath(string name)
    {
        var names = OperatingSystem.IsWindows() ? [name + ".exe"] : new[] { name };
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(file => Path.Combine(directory, file)))
            .FirstOrDefault(File.Exists);
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string directory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static string Invariant(int port) => port.ToString(CultureInfo.InvariantCulture);

    private sealed partial class RealRedis(string path) : RedisServerProgram
    {
        public override string Description { get; } = $"redis-server {Version(path)} at {path}";

        public override ProcessStartInfo StartInfo(int port, string directory, bool durable) =>
            StartInfo(path, ["--port", Invariant(port), "--bind", "127.0.0.1", "--dir", directory, "--save", "", .. durable ? ["--appendonly", "yes", "--appendfsync", "always"] : (string[])["--appendonly", "no"]], directory);

        private static string Version(string path)
        {
            using var process = Process.Start(StartInfo(path, ["--version"], Environment.CurrentDirectory))!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return VersionPattern().Match(output) is { Success: true } match ? match.Groups[1].Value : "(unknown version)";
        }

        // "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=..."
        [GeneratedRegex(@"v=(\S+)")]
        private static partial Regex VersionPattern();
    }

    private sealed class EmbeddedGarnet : RedisServerProgram
    {
        private readonly string _host = Path.Combine(AppContext.BaseDirectory, "garnet", "Proxy.GarnetHost.dll");

        public override string Description =>
            $"embedded Garnet {FileVersionInfo.GetVersionInfo(Path.Combine(Path.GetDirectoryName(_host)!, "Garnet.host.dll")).ProductVersion?.Split('+')[0]} (no redis-server on PATH)";

        public override ProcessStartInfo StartInfo(int port, string directory, bool durable)
        {
            if (!File.Exists(_host))
            {
                throw new InvalidOperationException($"No redis-server on PATH and no embedded Garnet at {_host}: build the test project.");
            }

            string[] arguments =
            [
                _host, "--port", Invariant(port), "--bind", "127.0.0.1", "--checkpointdir", directory,
                "--lua", // the gateway's stores are Lua scripts
                "--lua-transaction-mode", // and rely on a script running as one step, as in Redis
                "--device-type", "RandomAccess", // managed file I/O: the default native device needs libaio
                "-m", "64m", "--page", "1m", "-i", "1m", // test-sized memory instead of a production cache's
                .. durable ? ["--aof", "--aof-commit-freq", "0", "--aof-commit-wait", "--recover", "--aof-memory", "4m", "--aof-page-size", "2m"] : Array.Empty<string>(),
            ];
            return StartInfo(DotnetHost(), arguments, directory);
        }

        // The dotnet that runs the tests runs the host too (DOTNET_HOST_PATH is set by the dotnet CLI).
        private static string DotnetHost() =>
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
            : "dotnet";
    }
}
