using System.CommandLine;
using Proxy.Cli.Client;
using Proxy.Cli.Connection;

namespace Proxy.Cli.Commands;

/// <summary>What a command's action works with: the console, the environment, the global options' values and a client of the admin API.</summary>
public sealed class Invocation(ParseResult parse, GlobalOptions options, CliConsole console, CliEnvironment environment, TimeProvider time)
{
    public ParseResult Parse => parse;

    public CliConsole Console => console;

    public CliEnvironment Environment => environment;

    public TimeProvider Time => time;

    public OutputFormat Output => parse.GetValue(options.Output);

    public T? Value<T>(Option<T> option) => parse.GetValue(option);

    public T? Value<T>(Argument<T> argument) => parse.GetValue(argument);

    public T Required<T>(Argument<T> argument) => parse.GetRequiredValue(argument);

    /// <summary>The contexts file this invocation reads and writes.</summary>
    public ContextFile Contexts => ContextFile.For(environment);

    /// <summary>
    /// Resolves server, key and CA: flags first, then PROXYCTL_* variables, then the context (--context, PROXYCTL_CONTEXT or
    /// the file's current one).
    /// </summary>
    public ConnectionSettings Connection()
    {
        var contexts = Contexts.Load();
        var contextName = parse.GetValue(options.Context) ?? environment[CliEnvironment.Context] ?? contexts.Current;
        CliContext? context = null;
        if (contextName is not null && !contexts.Contexts.TryGetValue(contextName, out context))
        {
            throw new CliException(ExitCodes.Usage, $"no context '{contextName}' in {Contexts.Path} (proxyctl context list)");
        }

        var server = UriOf(parse.GetValue(options.Server), "--server")
            ?? UriOf(environment[CliEnvironment.Server], CliEnvironment.Server)
            ?? UriOf(context?.Server, $"context '{contextName}'")
            ?? throw new CliException(ExitCodes.Usage, $"no server: pass --server URL, set {CliEnvironment.Server} or add a context (proxyctl context add NAME --server URL)");
        if (!server.IsAbsoluteUri || server.Scheme is not ("http" or "https"))
        {
            throw new CliException(ExitCodes.Usage, $"--server must be an http:// or https:// address, not '{server}'");
        }

        var caFile = parse.GetValue(options.CaFile)?.FullName ?? environment[CliEnvironment.CaFile] ?? context?.CaFile;
        return new ConnectionSettings(WithTrailingSlash(server), Key(context), caFile);
    }

    /// <summary>A client of the admin API the options name.</summary>
    public AdminClient CreateClient() => Connection().CreateClient();

    /// <summary>The key from the flags (--key, --key-file, --key-stdin), else PROXYCTL_KEY, else the context; never printed.</summary>
    public string? Key(CliContext? context)
    {
        if (parse.GetValue(options.Key) is { Length: > 0 } key)
        {
            return key;
        }

        if (parse.GetValue(options.KeyFile) is { } file)
        {
            return ReadKeyFile(file.FullName);
        }

        if (parse.GetValue(options.KeyStdin))
        {
            return console.Input.ReadLine()?.Trim() is { Length: > 0 } line
                ? line
                : throw new CliException(ExitCodes.Usage, "--key-stdin: standard input holds no key");
        }

        return environment[CliEnvironment.Key] ?? context?.Key ?? (context?.KeyFile is { } contextFile ? ReadKeyFile(contextFile) : null);
    }

    private static string ReadKeyFile(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim() is { Length: > 0 } key ? key : throw new CliException(ExitCodes.Usage, $"the key file {path} is empty");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read the key file {path}: {ex.Message}");
        }
    }

    /// <summary>An absolute URL, or null for none; anything else is a usage error naming where it came from.</summary>
    public static Uri? UriOf(string? text, string source) =>
        string.IsNullOrEmpty(text) ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri
        : throw new CliException(ExitCodes.Usage, $"{source}: '{text}' is not an absolute URL");

    // Relative paths such as "api/routes" must resolve under a base path, not replace its last segment.
    private static Uri WithTrailingSlash(Uri server) =>
        server.AbsolutePath.EndsWith('/') ? server : new Uri(server.GetLeftPart(UriPartial.Path) + "/" + server.Query);
}
