using System.CommandLine;
using Proxy.Cli.Connection;
using Proxy.Cli.Output;
using Spectre.Console;

namespace Proxy.Cli.Commands;

/// <summary><c>context add|use|list</c>: named gateways in the contexts file, like kubectl's.</summary>
public static class ContextCommands
{
    public static Command Create(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var context = new Command("context", "Named gateways (server, key, CA) in the contexts file");
        context.Subcommands.Add(Add(builder));
        context.Subcommands.Add(Use(builder));
        context.Subcommands.Add(List(builder));
        return context;
    }

    private static Command Add(CommandBuilder builder)
    {
        var name = new Argument<string>("NAME") { Description = "The context's name" };
        var command = new Command("add", "Add or replace a context (--server required; the key from --key, --key-stdin, or --key-file kept as a path), and use it") { name };
        return builder.Action(command, (invocation, _) =>
        {
            var options = builder.Options;
            var server = Invocation.UriOf(invocation.Value(options.Server), "--server") ?? throw new CliException(ExitCodes.Usage, "context add needs --server URL");
            var keyFile = invocation.Value(options.KeyFile)?.FullName;

            // A key file is kept as its path, read at each call; a key given directly is kept in the file (mode 600).
            var key = keyFile is null ? invocation.Key(null) : null;
            var file = invocation.Contexts;
            var contexts = file.Load();
            var contextName = invocation.Required(name);
            contexts.Contexts[contextName] = new CliContext(server.ToString(), key, keyFile, invocation.Value(options.CaFile)?.FullName);
            file.Save(contexts with { Current = contextName });
            invocation.Console.Output.WriteLine($"context '{contextName}' ({server}) added to {file.Path} and in use");
            return Task.FromResult(ExitCodes.Success);
        });
    }

    private static Command Use(CommandBuilder builder)
    {
        var name = new Argument<string>("NAME") { Description = "The context to use from now on" };
        return builder.Action(new Command("use", "Make a context the current one") { name }, (invocation, _) =>
        {
            var file = invocation.Contexts;
            var contexts = file.Load();
            var contextName = invocation.Required(name);
            if (!contexts.Contexts.ContainsKey(contextName))
            {
                throw new CliException(ExitCodes.Usage, $"no context '{contextName}' in {file.Path} (proxyctl context list)");
            }

            file.Save(contexts with { Current = contextName });
            invocation.Console.Output.WriteLine($"using context '{contextName}'");
            return Task.FromResult(ExitCodes.Success);
        });
    }

    private static Command List(CommandBuilder builder) =>
        builder.Action(new Command("list", "Every context; * marks the current one (keys are never shown)"), (invocation, _) =>
        {
            var contexts = invocation.Contexts.Load();
            var table = new Table().AddColumns("CURRENT", "NAME", "SERVER", "KEY", "CA FILE");
            foreach (var (name, context) in contexts.Contexts.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                table.AddRow(
                    name == contexts.Current ? "*" : "",
                    Formats.Cell(name),
                    Formats.Cell(context.Server),
                    Formats.Cell(context.KeyFile is not null ? $"file {context.KeyFile}" : context.Key is not null ? "stored" : "none"),
                    Formats.Cell(context.CaFile));
            }

            invocation.Console.Ansi.Write(table);
            return Task.FromResult(ExitCodes.Success);
        });
}
