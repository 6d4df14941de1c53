using System.CommandLine;
using Proxy.Cli.Client;
using Proxy.Cli.Commands;

namespace Proxy.Cli;

/// <summary>proxyctl's entry point: parses, runs one command against the admin API and returns its exit code (see <see cref="ExitCodes"/>).</summary>
public static class ProxyCtl
{
    /// <summary>Runs proxyctl with <paramref name="args"/>; every failure is one line on the console's error writer, never a stack trace.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CliEnvironment environment, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = CommandTree.Build(new CommandBuilder(new GlobalOptions(), console, environment, time ?? TimeProvider.System));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"proxyctl: {error.Message}").ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync($"Run 'proxyctl {string.Join(' ', CommandPath(parse))} --help' for usage.".Replace("  ", " ", StringComparison.Ordinal)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            var configuration = new InvocationConfiguration { Output = console.Output, Error = console.Error, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (AdminApiException ex)
        {
            await console.Error.WriteLineAsync($"proxyctl: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (CliException ex)
        {
            await console.Error.WriteLineAsync($"proxyctl: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("proxyctl: interrupted").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug of proxyctl's own; still one line, so that a pipeline's log stays readable.
            await console.Error.WriteLineAsync($"proxyctl: unexpected error: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Invalid;
        }
    }

    private static Stack<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Push(result.Command.Name);
        }

        return names;
    }
}
