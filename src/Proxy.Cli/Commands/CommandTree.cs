using System.CommandLine;

namespace Proxy.Cli.Commands;

/// <summary>Every proxyctl command; their names are part of its contract (docs/cli.md).</summary>
public static class CommandTree
{
    public static RootCommand Build(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var root = new RootCommand("proxyctl: the command line of the Proxy gateway's admin API");
        builder.Options.AddTo(root);
        foreach (var command in RouteCommands.Create(builder))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(ClusterCommands.Create(builder));
        root.Subcommands.Add(MirrorCommands.Create(builder));
        root.Subcommands.Add(RolloutCommands.Create(builder));
        root.Subcommands.Add(ExperimentCommands.Create(builder));
        root.Subcommands.Add(FlagCommands.Create(builder));
        root.Subcommands.Add(FleetCommand.Create(builder));
        root.Subcommands.Add(EventsCommand.Create(builder));
        root.Subcommands.Add(FileCommands.Lint(builder));
        root.Subcommands.Add(FileCommands.Diff(builder));
        root.Subcommands.Add(ContextCommands.Create(builder));
        return root;
    }
}
