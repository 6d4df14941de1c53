using System.CommandLine;
using System.Globalization;
using Proxy.Cli.Client;
using Proxy.Cli.Output;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Cli.Commands;

/// <summary><c>routes list|get</c>, <c>weights set</c>, <c>rollback</c>, <c>promote</c>, <c>undo</c>, <c>history</c>.</summary>
public static class RouteCommands
{
    public static IEnumerable<Command> Create(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var routes = new Command("routes", "Read routes' splits, health and breakers");
        routes.Subcommands.Add(builder.Call(
            new Command("list", "Every route's revision, stable cluster, weights and effective weights"),
            (_, client, ct) => client.ListRoutesAsync(ct),
            (invocation, value) => invocation.Console.Ansi.Write(RouteViews.List(value))));
        var route = RouteArgument();
        routes.Subcommands.Add(builder.Call(
            new Command("get", "One route: revision (ETag), weights, clusters' health, rollout, mirror") { route },
            (invocation, client, ct) => client.GetRouteAsync(invocation.Required(route), ct),
            (invocation, value) => RouteViews.Write(invocation.Console.Ansi, value)));
        yield return routes;
        yield return Weights(builder);
        yield return Rollback(builder);
        yield return Promote(builder);
        yield return Undo(builder);
        yield return History(builder);
    }

    /// <summary>The ROUTE argument.</summary>
    public static Argument<string> RouteArgument() => new("ROUTE") { Description = "The route's id (YARP route id)" };

    /// <summary>--reason.</summary>
    public static Option<string?> ReasonOption() => new("--reason", "-r") { Description = "Why (recorded in the audit trail, at most 500 characters)" };

    /// <summary>One line after a change of a route.</summary>
    public static void Changed(Invocation invocation, RouteResponse route)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(route);
        invocation.Console.Output.WriteLine($"{route.Route}: revision {route.Revision.ToString(CultureInfo.InvariantCulture)}, stable {route.Stable}, weights {Formats.Weights(route.Weights)}");
    }

    private static Option<string?> IfMatchOption() => new("--if-match")
    {
        Description = "Refuse (exit 3) unless the route is still at this revision (from routes get)",
        HelpName = "REVISION",
    };

    private static Command Weights(CommandBuilder builder)
    {
        var route = RouteArgument();
        var pairs = new Argument<string[]>("CLUSTER=WEIGHT") { Description = "Percent per cluster, summing to 100 (clusters left out get 0)", Arity = ArgumentArity.OneOrMore };
        var reason = ReasonOption();
        var ifMatch = IfMatchOption();
        var set = new Command("set", "Set a route's weights atomically, e.g. weights set demo demo-blue=50 demo-canary=50") { route, pairs, reason, ifMatch };
        builder.Call(set, (invocation, client, ct) =>
            client.SetWeightsAsync(invocation.Required(route), new SetWeightsRequest(ParseWeights(invocation.Required(pairs)), invocation.Value(reason)), invocation.Value(ifMatch), ct),
            Changed);
        var weights = new Command("weights", "Change a route's weights");
        weights.Subcommands.Add(set);
        return weights;
    }

    private static Command Rollback(CommandBuilder builder) => ReasonedChange(
        builder, "rollback", "Send all new traffic to the stable cluster, from the next request on (aborts a running rollout)",
        (client, route, reason, ifMatch, ct) => client.RollbackAsync(route, reason, ifMatch, ct));

    private static Command Undo(CommandBuilder builder) => ReasonedChange(
        builder, "undo", "Restore the previous revision's stable cluster and weights",
        (client, route, reason, ifMatch, ct) => client.UndoAsync(route, reason, ifMatch, ct));

    // A change of a route that takes only a reason and If-Match.
    private static Command ReasonedChange(
        CommandBuilder builder, string name, string description, Func<AdminClient, string, string?, string?, CancellationToken, Task<ApiAnswer<RouteResponse>>> change)
    {
        var route = RouteArgument();
        var reason = ReasonOption();
        var ifMatch = IfMatchOption();
        return builder.Call(
            new Command(name, description) { route, reason, ifMatch },
            (invocation, client, ct) => change(client, invocation.Required(route), invocation.Value(reason), invocation.Value(ifMatch), ct),
            Changed);
    }

    private static Command Promote(CommandBuilder builder)
    {
        var route = RouteArgument();
        var cluster = new Argument<string>("CLUSTER") { Description = "The cluster to make stable with all new traffic" };
        var force = new Option<bool>("--force") { Description = "Promote even when the cluster has no healthy destination or its breaker is open" };
        var reason = ReasonOption();
        var ifMatch = IfMatchOption();
        return builder.Call(
            new Command("promote", "Make a cluster stable with 100% of new traffic (blue/green switch)") { route, cluster, force, reason, ifMatch },
            (invocation, client, ct) => client.PromoteAsync(
                invocation.Required(route), new PromoteRequest(invocation.Required(cluster), invocation.Value(force), invocation.Value(reason)), invocation.Value(ifMatch), ct),
            Changed);
    }

    private static Command History(CommandBuilder builder)
    {
        var route = RouteArgument();
        var limit = new Option<int?>("--limit") { Description = "Entries to show, newest first (1-1000; default 100)" };
        return builder.Call(
            new Command("history", "A route's audit trail: who changed what, when and why") { route, limit },
            (invocation, client, ct) => client.GetHistoryAsync(invocation.Required(route), invocation.Value(limit), ct),
            (invocation, value) => invocation.Console.Ansi.Write(RouteViews.History(value)));
    }

    /// <summary>"blue=90" "canary=10" → weights; a malformed pair is a usage error (exit 2), a bad value is for the API to refuse.</summary>
    public static Dictionary<string, decimal> ParseWeights(IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var weights = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var split = pair.Split('=', 2);
            if (split.Length != 2 || split[0].Length == 0
                || !decimal.TryParse(split[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var percent))
            {
                throw new CliException(ExitCodes.Usage, $"'{pair}' is not CLUSTER=WEIGHT, e.g. demo-canary=10");
            }

            if (!weights.TryAdd(split[0], percent))
            {
                throw new CliException(ExitCodes.Usage, $"cluster '{split[0]}' is given twice");
            }
        }

        return weights;
    }
}
