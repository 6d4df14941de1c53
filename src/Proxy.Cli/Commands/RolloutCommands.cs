using System.CommandLine;
using Proxy.Cli.Files;
using Proxy.Cli.Output;
using Proxy.Cli.Watch;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Cli.Commands;

/// <summary><c>rollout start|status|pause|resume|abort|promote|approve</c>.</summary>
public static class RolloutCommands
{
    public static Command Create(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var rollout = new Command("rollout", "Automated rollouts: start one from a plan, watch it, pause, resume, abort, promote it or approve its manual gate");
        rollout.Subcommands.Add(Start(builder));
        rollout.Subcommands.Add(Status(builder));
        foreach (var (verb, description) in (ReadOnlySpan<(string, string)>)[
            ("pause", "Hold the current step (analysis, and automatic rollback, go on)"),
            ("resume", "Go on after a pause, or enter the next step after a step without pause"),
            ("abort", "End the rollout and send all traffic back to stable"),
            ("promote", "Make the candidate stable with all traffic now")])
        {
            var route = RouteCommands.RouteArgument();
            rollout.Subcommands.Add(builder.Call(
                new Command(verb, description) { route },
                (invocation, client, ct) => client.RolloutCommandAsync(invocation.Required(route), verb, ct),
                Print));
        }

        rollout.Subcommands.Add(Approve(builder));
        return rollout;
    }

    private static Command Approve(CommandBuilder builder)
    {
        var route = RouteCommands.RouteArgument();
        var reason = RouteCommands.ReasonOption();
        return builder.Call(
            new Command("approve", "Approve the manual gate (a confirm-* webhook without url) the rollout waits at; exit 3 when it waits at none") { route, reason },
            (invocation, client, ct) => client.ApproveRolloutAsync(invocation.Required(route), invocation.Value(reason), ct),
            Print);
    }

    private static Command Start(CommandBuilder builder)
    {
        var route = RouteCommands.RouteArgument();
        var file = new Option<FileInfo>("--file", "-f") { Description = "The plan: JSON, or YAML (.yaml/.yml), as in docs/rollouts.md", Required = true, HelpName = "PLAN" };
        return builder.Call(
            new Command("start", "Start a canary or blue/green rollout from a plan file; its first step is in force when this returns") { route, file },
            (invocation, client, ct) => client.StartRolloutAsync(invocation.Required(route), PlanFile.ReadJson(invocation.Value(file)!.FullName, ExitCodes.Usage), ct),
            Print);
    }

    private static Command Status(CommandBuilder builder)
    {
        var route = RouteCommands.RouteArgument();
        var watch = new Option<bool>("--watch", "-w") { Description = "Follow the rollout until it ends: exit 0 when promoted, 1 when rolled back or aborted" };
        var timeout = new Option<TimeSpan?>("--timeout") { Description = "With --watch: give up (exit 1) when the rollout has not ended after this long, e.g. 00:30:00" };
        var status = new Command("status", "Where the route's current (or latest) rollout stands: phase, step, weights, verdicts, next action") { route, watch, timeout };
        return builder.Action(status, async (invocation, cancellationToken) =>
        {
            using var client = invocation.CreateClient();
            var routeId = invocation.Required(route);
            if (!invocation.Value(watch))
            {
                invocation.Print(await client.GetRolloutAsync(routeId, cancellationToken).ConfigureAwait(false), Print);
                return ExitCodes.Success;
            }

            if (invocation.Value(timeout) is { } wait && wait <= TimeSpan.Zero)
            {
                throw new CliException(ExitCodes.Usage, $"--timeout must be a positive duration such as 00:30:00, not {wait}");
            }

            var polling = new PollingRolloutFeed(client, PollingRolloutFeed.DefaultInterval, invocation.Time);
            var feed = new EventStreamRolloutFeed(client, polling, message => invocation.Console.Error.WriteLine($"proxyctl: {message}"));
            using var limit = invocation.Value(timeout) is { } given ? new CancellationTokenSource(given, invocation.Time) : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
            try
            {
                return await new RolloutWatch(feed, invocation.Console, invocation.Time, invocation.Output == OutputFormat.Json).RunAsync(routeId, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.Invalid, $"the rollout of {routeId} has not ended after {invocation.Value(timeout)}");
            }
        });
    }

    private static void Print(Invocation invocation, RolloutResponse rollout) => RolloutView.Write(invocation.Console.Ansi, rollout, invocation.Time.GetUtcNow());
}
