using Proxy.Traffic.Admin.Contracts;
using Spectre.Console;

namespace Proxy.Cli.Output;

/// <summary>Routes, their audit trail and clusters as tables.</summary>
public static class RouteViews
{
    public static Table List(IEnumerable<RouteResponse> routes)
    {
        var table = new Table().AddColumns("ROUTE", "REVISION", "STABLE", "WEIGHTS", "EFFECTIVE", "ROLLOUT", "MIRROR");
        foreach (var route in routes)
        {
            table.AddRow(
                Formats.Cell(route.Route),
                route.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Formats.Cell(route.Stable),
                Formats.Cell(Formats.Weights(route.Weights)),
                Formats.Cell(Formats.Weights(route.EffectiveWeights)),
                Formats.Cell(route.Rollout is { } r ? $"{r.Candidate} {r.Phase} {r.Step + 1}/{r.StepCount}" : ""),
                Formats.Cell(route.Mirror?.Settings is { } m ? $"{m.Cluster} {Formats.Percent(m.Percentage)}%" : ""));
        }

        return table;
    }

    public static void Write(IAnsiConsole console, RouteResponse route)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Route", Formats.Cell(route.Route));
        grid.AddRow("Revision", Formats.Cell($"{route.Revision} (use --if-match {route.Revision} to refuse a change made since)"));
        grid.AddRow("Stable", Formats.Cell(route.Stable));
        grid.AddRow("Weights", Formats.Cell(Formats.Weights(route.Weights)));
        grid.AddRow("Effective", Formats.Cell(Formats.Weights(route.EffectiveWeights)));
        if (route.ConfigFile is { } file)
        {
            grid.AddRow("Config file", Formats.Cell($"stable {file.Stable}, {Formats.Weights(file.Weights)}"));
        }

        if (route.Rollout is { } rollout)
        {
            grid.AddRow("Rollout", Formats.Cell($"#{rollout.Id} {rollout.Candidate} {rollout.Phase}, step {rollout.Step + 1}/{rollout.StepCount}"));
        }

        if (route.Mirror?.Settings is { } mirror)
        {
            grid.AddRow("Mirror", Formats.Cell($"{mirror.Cluster} {Formats.Percent(mirror.Percentage)}%"));
        }

        if (route.Sync is { Stale: true } sync)
        {
            grid.AddRow("Sync", Formats.Cell($"stale: {sync.Detail}"));
        }

        console.Write(grid);
        console.Write(Clusters(route.Clusters));
    }

    public static Table Clusters(IEnumerable<ClusterResponse> clusters)
    {
        var table = new Table().AddColumns("CLUSTER", "HEALTHY", "BREAKER", "REASON");
        foreach (var cluster in clusters)
        {
            table.AddRow(Formats.Cell(cluster.Cluster), $"{cluster.HealthyDestinations}/{cluster.TotalDestinations}", Formats.Cell(cluster.Breaker), Formats.Cell(cluster.Reason));
        }

        return table;
    }

    public static Table History(IEnumerable<HistoryEntryResponse> entries)
    {
        var table = new Table().AddColumns("REVISION", "AT", "ACTOR", "ACTION", "SOURCE", "BEFORE", "AFTER", "REASON");
        foreach (var entry in entries)
        {
            table.AddRow(
                entry.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Formats.Time(entry.At),
                Formats.Cell(entry.Actor),
                Formats.Cell(entry.Action),
                Formats.Cell(entry.Source),
                Formats.Cell(Formats.Weights(entry.Before?.Weights)),
                Formats.Cell(Formats.Weights(entry.After?.Weights)),
                Formats.Cell(entry.Reason));
        }

        return table;
    }

    public static Table IsolationHistory(IEnumerable<IsolationChangeResponse> changes)
    {
        var table = new Table().AddColumns("AT", "ACTOR", "ACTION", "REASON");
        foreach (var change in changes)
        {
            table.AddRow(Formats.Time(change.At), Formats.Cell(change.Actor), Formats.Cell(change.Action), Formats.Cell(change.Reason));
        }

        return table;
    }

    public static Table Fleet(FleetResponse fleet)
    {
        var table = new Table().AddColumns("ROUTE", "REVISION", "IN FORCE");
        foreach (var (route, state) in fleet.Routes)
        {
            table.AddRow(Formats.Cell(route), state.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{state.InForce}/{state.Instances}");
        }

        var instances = new Table().AddColumns("INSTANCE", "REPORTED", "STALE", "OPEN BREAKERS");
        foreach (var instance in fleet.Instances)
        {
            instances.AddRow(
                Formats.Cell(instance.Instance),
                Formats.Time(instance.At),
                instance.Stale ? "yes" : "no",
                Formats.Cell(string.Join(' ', instance.Breakers.Where(b => b.Value != "Closed").Select(b => $"{b.Key}={b.Value}"))));
        }

        return new Table().NoBorder().HideHeaders().AddColumn("").AddRow(table).AddRow(instances);
    }
}
