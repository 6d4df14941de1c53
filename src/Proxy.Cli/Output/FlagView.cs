using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Flags;
using Spectre.Console;

namespace Proxy.Cli.Output;

/// <summary>Feature flags: a table, one in full, one line after a change, the audit trail.</summary>
public static class FlagView
{
    public static Table List(IEnumerable<FlagResponse> flags)
    {
        var table = new Table().AddColumns("Flag", "State", "Default", "Rollout", "Routes", "Source");
        foreach (var f in flags)
        {
            table.AddRow(Formats.Cell(f.Name), Formats.Cell(f.Enabled ? "on" : "KILLED"), Formats.Cell(f.Default),
                Formats.Cell(Formats.Weights(f.Rollout)), Formats.Cell(string.Join(", ", f.Routes)), Formats.Cell(f.Source));
        }

        return table;
    }

    public static void Write(IAnsiConsole console, FlagResponse flag)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Flag", Formats.Cell(Line(flag)));
        grid.AddRow("Variants", Formats.Cell(string.Join(", ", flag.Variants.Select(v => $"{v.Key}={v.Value}"))));
        grid.AddRow("Rules", Formats.Cell(flag.Rules.Length == 0 ? "none" : string.Join("; ", flag.Rules)));
        grid.AddRow("Routes", Formats.Cell(string.Join(", ", flag.Routes)));
        grid.AddRow("Key", Formats.Cell(flag.Key));
        if (flag.ConfigFile is { } file)
        {
            grid.AddRow("Config file", Formats.Cell(State(file)));
        }

        console.Write(grid);
    }

    public static string Line(FlagResponse flag) =>
        $"{flag.Name}: {(flag.Enabled ? "on" : "KILLED")}, default {flag.Default}, rollout {(flag.Rollout.Count == 0 ? "none" : Formats.Weights(flag.Rollout))} (from {flag.Source})";

    public static Table History(IEnumerable<FlagChange> changes)
    {
        var table = new Table().AddColumns("At", "Actor", "Action", "Before", "After", "Reason");
        foreach (var c in changes)
        {
            table.AddRow(Formats.Cell(Formats.Time(c.At)), Formats.Cell(c.Actor), Formats.Cell(c.Action),
                Formats.Cell(c.Before is null ? "" : State(c.Before)), Formats.Cell(c.After is null ? "" : State(c.After)), Formats.Cell(c.Reason));
        }

        return table;
    }

    private static string State(FlagState state) =>
        $"{(state.Enabled ? "on" : "killed")}, default {state.Default}, rollout {(state.Rollout.Count == 0 ? "none" : Formats.Weights(state.Rollout))}";
}
