using System.CommandLine;
using Proxy.Cli.Output;

namespace Proxy.Cli.Commands;

/// <summary><c>clusters isolate|reset|history</c>: manual breaker control.</summary>
public static class ClusterCommands
{
    public static Command Create(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var clusters = new Command("clusters", "Take a cluster out of rotation and back, on every instance");

        var cluster = ClusterArgument();
        var reason = new Option<string>("--reason", "-r") { Description = "Why (recorded in the audit trail)", Required = true };
        clusters.Subcommands.Add(builder.Call(
            new Command("isolate", "Give the cluster no traffic until reset (its share goes to stable)") { cluster, reason },
            (invocation, client, ct) => client.IsolateAsync(invocation.Required(cluster), invocation.Value(reason), ct),
            (invocation, value) => invocation.Console.Ansi.Write(RouteViews.Clusters([value]))));

        var resetCluster = ClusterArgument();
        var resetReason = RouteCommands.ReasonOption();
        clusters.Subcommands.Add(builder.Call(
            new Command("reset", "Close the cluster's breaker and lift a manual isolation") { resetCluster, resetReason },
            (invocation, client, ct) => client.ResetAsync(invocation.Required(resetCluster), invocation.Value(resetReason), ct),
            (invocation, value) => invocation.Console.Ansi.Write(RouteViews.Clusters([value]))));

        var historyCluster = ClusterArgument();
        clusters.Subcommands.Add(builder.Call(
            new Command("history", "The cluster's isolate/reset audit trail, newest first") { historyCluster },
            (invocation, client, ct) => client.GetClusterHistoryAsync(invocation.Required(historyCluster), ct),
            (invocation, value) => invocation.Console.Ansi.Write(RouteViews.IsolationHistory(value))));
        return clusters;
    }

    private static Argument<string> ClusterArgument() => new("CLUSTER") { Description = "The cluster's id (YARP cluster id)" };
}
