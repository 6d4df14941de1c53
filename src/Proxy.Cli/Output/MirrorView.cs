using Proxy.Traffic.Admin.Contracts;
using Spectre.Console;

namespace Proxy.Cli.Output;

/// <summary>A route's mirror and its comparison.</summary>
public static class MirrorView
{
    public static void Write(IAnsiConsole console, MirrorResponse mirror)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Route", Formats.Cell(mirror.Route));
        grid.AddRow("Mirror", Formats.Cell(mirror.Settings is { } s
            ? $"{s.Cluster} {Formats.Percent(s.Percentage)}% of {string.Join(',', s.Methods)} (from {mirror.Source}, since {Formats.Time(mirror.Since)})"
            : "off"));
        if (mirror.ConfigFile is { } file)
        {
            grid.AddRow("Config file", Formats.Cell($"{file.Cluster} {Formats.Percent(file.Percentage)}%"));
        }

        if (mirror.Comparison is { } comparison)
        {
            grid.AddRow("Sent", Formats.Cell($"{comparison.Sent} ({comparison.InFlight} in flight)"));
            grid.AddRow("Results", Formats.Cell(string.Join(' ', comparison.Results.Where(r => r.Value > 0).Select(r => $"{r.Key}={r.Value}"))));
            grid.AddRow("Dropped", Formats.Cell(string.Join(' ', comparison.Dropped.Where(r => r.Value > 0).Select(r => $"{r.Key}={r.Value}"))));
            grid.AddRow("Primary", Formats.Cell(Side(comparison.Primary)));
            grid.AddRow("Mirror side", Formats.Cell(Side(comparison.Mirror)));
        }

        console.Write(grid);
    }

    private static string Side(MirrorSideResponse side) =>
        string.Join(' ', side.StatusClasses.Select(c => $"{c.Key}={c.Value}")) + $", p99 {side.P99Ms?.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} ms";
}
