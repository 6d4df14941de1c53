using System.Globalization;
using Proxy.Traffic.Experiments;
using Spectre.Console;

namespace Proxy.Cli.Output;

/// <summary>Experiments: one line each, or one in full (arms, comparisons, outcome).</summary>
public static class ExperimentView
{
    public static Table List(IEnumerable<ExperimentReport> experiments)
    {
        var table = new Table().AddColumns("Name", "State", "Arms", "Users", "Outcome");
        foreach (var e in experiments)
        {
            table.AddRow(Formats.Cell(e.Name), Formats.Cell(e.State), Formats.Cell(string.Join(", ", e.Arms.Select(a => a.Arm))),
                Formats.Cell(string.Join("/", e.Arms.Select(a => a.Exposed))), Formats.Cell(e.Outcome.Text));
        }

        return table;
    }

    public static void Write(IAnsiConsole console, ExperimentReport experiment)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Experiment", Formats.Cell($"{experiment.Route}/{experiment.Name} ({experiment.State}{(experiment.Flag is { } flag ? $", arms are flag {flag}'s variants" : "")})"));
        grid.AddRow("Counting", Formats.Cell($"{experiment.Counting.Mode}{(experiment.Counting.StandardError > 0 ? $" (±{Percent(experiment.Counting.StandardError)} %)" : "")}{(experiment.Counting.Capped ? ", capped" : "")}, since {Formats.Time(experiment.Since)}"));
        grid.AddRow("Outcome", Formats.Cell(experiment.Outcome.Text));
        console.Write(grid);

        var arms = new Table().AddColumns("Arm", "Allocation", "Users", $"{experiment.PrimaryGoal} (rate)", "Errors", "p99");
        foreach (var arm in experiment.Arms)
        {
            var goal = arm.Goals[experiment.PrimaryGoal];
            arms.AddRow(
                Formats.Cell(arm.Arm + (arm.Control ? " (control)" : "")),
                Formats.Cell(Formats.Percent(arm.Allocation) + "%"),
                Formats.Cell(arm.Exposed.ToString(CultureInfo.InvariantCulture)),
                Formats.Cell($"{goal.Converted.ToString(CultureInfo.InvariantCulture)} ({Percent(goal.Rate * 100)} %)"),
                Formats.Cell(arm.Guardrails is { } g ? Percent(g.ErrorRate * 100) + " %" : "-"),
                Formats.Cell(arm.Guardrails is { } p ? p.P99Milliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms" : "-"));
        }

        console.Write(arms);
        var comparisons = new Table().AddColumns("Goal", "Arm", "Lift", "Interval", "p (always valid)");
        foreach (var c in experiment.Comparisons)
        {
            comparisons.AddRow(
                Formats.Cell(c.Goal),
                Formats.Cell(c.Arm),
                Formats.Cell(c.RelativeLift is { } r ? Signed(r * 100) + " %" : Signed(c.AbsoluteLift * 100) + " pts"),
                Formats.Cell(c.RelativeInterval is { } ri ? $"{Signed(ri[0] * 100)}…{Signed(ri[1] * 100)} %" : $"{Signed(c.AbsoluteInterval[0] * 100)}…{Signed(c.AbsoluteInterval[1] * 100)} pts"),
                Formats.Cell(c.PValue.ToString("0.####", CultureInfo.InvariantCulture) + (c.Significant ? " *" : "")));
        }

        console.Write(comparisons);
        var srm = experiment.SampleRatio;
        console.WriteLine($"Sample ratio: p = {srm.PValue.ToString("0.####", CultureInfo.InvariantCulture)}{(srm.Detected ? " — MISMATCH, do not trust" : "")}");
    }

    private static string Percent(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Signed(double value) => (value >= 0 ? "+" : "") + value.ToString("0.0", CultureInfo.InvariantCulture);
}
