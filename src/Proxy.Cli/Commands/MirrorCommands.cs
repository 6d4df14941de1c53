using System.CommandLine;
using Proxy.Cli.Output;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Cli.Commands;

/// <summary><c>mirror set|clear|get|diffs</c>: dark launches.</summary>
public static class MirrorCommands
{
    public static Command Create(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var mirror = new Command("mirror", "Copy a share of a route's requests to a cluster and compare its answers (dark launch)");

        var route = RouteCommands.RouteArgument();
        var cluster = new Argument<string>("CLUSTER") { Description = "The cluster that receives the copies" };
        var percentage = new Option<decimal>("--percentage", "-p") { Description = "Share of eligible requests copied, 0-100", Required = true };
        var methods = new Option<string[]>("--method") { Description = "A method to copy (repeatable; default GET, HEAD, OPTIONS)", AllowMultipleArgumentsPerToken = true };
        var timeout = new Option<TimeSpan?>("--timeout") { Description = "Timeout of a copy, e.g. 00:00:05" };
        var reason = RouteCommands.ReasonOption();
        mirror.Subcommands.Add(builder.Call(
            new Command("set", "Mirror a share of the route's requests to a cluster (over the file's mirror)") { route, cluster, percentage, methods, timeout, reason },
            (invocation, client, ct) => client.SetMirrorAsync(
                invocation.Required(route),
                new SetMirrorRequest(
                    invocation.Required(cluster),
                    invocation.Value(percentage),
                    invocation.Value(methods) is { Length: > 0 } given ? [.. given] : null,
                    null,
                    null,
                    invocation.Value(timeout),
                    invocation.Value(reason)),
                ct),
            Print));

        var clearRoute = RouteCommands.RouteArgument();
        var clearReason = RouteCommands.ReasonOption();
        mirror.Subcommands.Add(builder.Call(
            new Command("clear", "Stop mirroring the route (also over the file's mirror)") { clearRoute, clearReason },
            (invocation, client, ct) => client.ClearMirrorAsync(invocation.Required(clearRoute), invocation.Value(clearReason), ct),
            Print));

        var getRoute = RouteCommands.RouteArgument();
        mirror.Subcommands.Add(builder.Call(
            new Command("get", "The route's mirror and how its answers compare with the primary's") { getRoute },
            (invocation, client, ct) => client.GetMirrorAsync(invocation.Required(getRoute), ct),
            Print));

        var diffsRoute = RouteCommands.RouteArgument();
        mirror.Subcommands.Add(builder.Call(
            new Command("diffs", "How the mirror's answers differ from the primary's, per endpoint and field, beyond noise") { diffsRoute },
            (invocation, client, ct) => client.GetMirrorDiffsAsync(invocation.Required(diffsRoute), ct),
            (invocation, diffs) => MirrorDiffsView.Write(invocation.Console.Ansi, diffs)));
        return mirror;
    }

    private static void Print(Invocation invocation, MirrorResponse mirror) => MirrorView.Write(invocation.Console.Ansi, mirror);
}
