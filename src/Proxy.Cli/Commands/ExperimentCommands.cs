using System.CommandLine;
using Proxy.Cli.Output;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Cli.Commands;

/// <summary><c>experiments list|get|stop|promote</c>: A/B experiments and their outcome.</summary>
public static class ExperimentCommands
{
    public static Command Create(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var experiments = new Command("experiments", "A/B experiments: users per arm, lifts, sequential test, SRM check, outcome");

        var listRoute = RouteCommands.RouteArgument();
        experiments.Subcommands.Add(builder.Call(
            new Command("list", "The route's experiments and their outcome") { listRoute },
            (invocation, client, ct) => client.ListExperimentsAsync(invocation.Required(listRoute), ct),
            (invocation, value) => invocation.Console.Ansi.Write(ExperimentView.List(value))));

        var getRoute = RouteCommands.RouteArgument();
        var getName = NameArgument();
        experiments.Subcommands.Add(builder.Call(
            new Command("get", "One experiment: each arm's users and conversion, the comparisons and the outcome") { getRoute, getName },
            (invocation, client, ct) => client.GetExperimentAsync(invocation.Required(getRoute), invocation.Required(getName), ct),
            (invocation, value) => ExperimentView.Write(invocation.Console.Ansi, value)));

        var stopRoute = RouteCommands.RouteArgument();
        var stopName = NameArgument();
        var stopReason = RouteCommands.ReasonOption();
        experiments.Subcommands.Add(builder.Call(
            new Command("stop", "Stop counting (the counts so far stay readable)") { stopRoute, stopName, stopReason },
            (invocation, client, ct) => client.StopExperimentAsync(invocation.Required(stopRoute), invocation.Required(stopName), invocation.Value(stopReason), ct),
            (invocation, value) => ExperimentView.Write(invocation.Console.Ansi, value)));

        var route = RouteCommands.RouteArgument();
        var name = NameArgument();
        var arm = new Option<string?>("--arm") { Description = "The arm to promote (default: the winner)" };
        var force = new Option<bool>("--force") { Description = "Promote without a winner, despite a sample-ratio mismatch, or onto an unhealthy cluster" };
        var reason = RouteCommands.ReasonOption();
        experiments.Subcommands.Add(builder.Call(
            new Command("promote", "Stop the experiment and give the winning arm all traffic (one audited revision)") { route, name, arm, force, reason },
            (invocation, client, ct) => client.PromoteExperimentAsync(
                invocation.Required(route), invocation.Required(name), new PromoteArmRequest(invocation.Value(arm), invocation.Value(force), invocation.Value(reason)), ct),
            (invocation, value) =>
            {
                ExperimentView.Write(invocation.Console.Ansi, value.Experiment);
                if (value.Route is { } promoted)
                {
                    RouteCommands.Changed(invocation, promoted);
                }

                if (value.Flag is { } flag)
                {
                    invocation.Console.Output.WriteLine($"flag {flag.Name}: default {flag.Default} for everyone");
                }
            }));
        return experiments;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The experiment's name" };
}
