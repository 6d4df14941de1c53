using System.CommandLine;
using Proxy.Cli.Output;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Cli.Commands;

/// <summary><c>flags list|get|set|kill|enable|reset|history</c>: feature flags at the edge.</summary>
public static class FlagCommands
{
    public static Command Create(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var flags = new Command("flags", "Feature flags passed upstream in X-Proxy-Flags and served over OFREP");
        flags.Subcommands.Add(builder.Call(
            new Command("list", "Every flag: on/off, default, rollout, routes"),
            (_, client, ct) => client.ListFlagsAsync(ct),
            (invocation, value) => invocation.Console.Ansi.Write(FlagView.List(value))));

        var getName = NameArgument();
        flags.Subcommands.Add(builder.Call(
            new Command("get", "One flag: variants, rules, rollout, and the file's version") { getName },
            (invocation, client, ct) => client.GetFlagAsync(invocation.Required(getName), ct),
            (invocation, value) => FlagView.Write(invocation.Console.Ansi, value)));

        var name = NameArgument();
        var defaultVariant = new Option<string?>("--default") { Description = "The default variant" };
        var rollout = new Option<string[]>("--rollout") { Description = "VARIANT=PERCENT (repeatable), e.g. --rollout on=50", AllowMultipleArgumentsPerToken = true };
        var reason = RouteCommands.ReasonOption();
        flags.Subcommands.Add(builder.Call(
            new Command("set", "Set the default and/or the rollout at runtime, e.g. flags set new-checkout --rollout on=50") { name, defaultVariant, rollout, reason },
            (invocation, client, ct) => client.SetFlagAsync(invocation.Required(name), new SetFlagRequest(
                invocation.Value(defaultVariant),
                invocation.Value(rollout) is { Length: > 0 } pairs ? RouteCommands.ParseWeights(pairs) : null,
                invocation.Value(reason)), ct),
            Changed));

        foreach (var (verb, description) in new[]
        {
            ("kill", "The kill switch: everyone gets the default variant from the next request on"),
            ("enable", "Lift the kill switch"),
            ("reset", "Drop the runtime setting: the file's flag applies again"),
        })
        {
            var verbName = NameArgument();
            var verbReason = RouteCommands.ReasonOption();
            flags.Subcommands.Add(builder.Call(
                new Command(verb, description) { verbName, verbReason },
                (invocation, client, ct) => client.FlagCommandAsync(invocation.Required(verbName), verb, invocation.Value(verbReason), ct),
                Changed));
        }

        var historyName = NameArgument();
        flags.Subcommands.Add(builder.Call(
            new Command("history", "A flag's audit trail, newest first") { historyName },
            (invocation, client, ct) => client.GetFlagHistoryAsync(invocation.Required(historyName), ct),
            (invocation, value) => invocation.Console.Ansi.Write(FlagView.History(value))));
        return flags;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The flag's name" };

    private static void Changed(Invocation invocation, FlagResponse flag) => invocation.Console.Output.WriteLine(FlagView.Line(flag));
}
