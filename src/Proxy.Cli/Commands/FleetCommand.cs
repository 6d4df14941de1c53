using System.CommandLine;
using Proxy.Cli.Output;

namespace Proxy.Cli.Commands;

/// <summary><c>fleet</c>: every instance sharing the state store and how current each route is across them.</summary>
public static class FleetCommand
{
    public static Command Create(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Call(
            new Command("fleet", "Every gateway instance sharing the state store, and per route how many have its latest revision in force"),
            (_, client, ct) => client.GetFleetAsync(ct),
            (invocation, value) => invocation.Console.Ansi.Write(RouteViews.Fleet(value)));
    }
}
