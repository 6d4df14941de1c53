using Proxy.Traffic.Admin.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Proxy.Cli.Output;

/// <summary>A rollout as a block (terminal, redrawn live) or as one line (CI logs: one per change).</summary>
public static class RolloutView
{
    /// <summary>Phases after which a rollout does nothing more.</summary>
    public static bool IsFinished(RolloutResponse rollout) => rollout.Phase is "Succeeded" or "Promoted" or "RolledBack" or "Aborted";

    /// <summary>0 for a rollout that promoted its candidate, 1 for one that rolled back or was aborted.</summary>
    public static int ExitCodeOf(RolloutResponse rollout) => rollout.Phase is "Succeeded" or "Promoted" ? ExitCodes.Success : ExitCodes.Invalid;

    public static IRenderable Block(RolloutResponse rollout, DateTimeOffset now)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("Rollout", Formats.Cell($"#{rollout.Id} of {rollout.Candidate} on {rollout.Route} ({rollout.Strategy}, stable {rollout.Stable}{(rollout.DryRun ? ", dry run" : "")})"));
        grid.AddRow("Phase", $"[{PhaseColour(rollout.Phase)}]{Formats.Cell(rollout.Phase)}[/]");
        grid.AddRow("Step", Formats.Cell($"{rollout.Step + 1}/{rollout.StepCount}"));
        grid.AddRow("Weights", Formats.Cell(Formats.Weights(rollout.Weights)));
        grid.AddRow("Last verdict", Formats.Cell(Verdict(rollout) ?? "none yet"));
        grid.AddRow("Next", Formats.Cell(Next(rollout, now) ?? "nothing: the rollout has ended"));
        if (rollout.Gate is { } gate)
        {
            grid.AddRow("Gate", Formats.Cell($"{(gate.Manual ? "manual " : "")}{gate.Type} '{gate.Hook}' before {gate.Before}, since {Formats.Time(gate.Since)}"
                + (gate.LastAnswer is { } answer ? $", {answer}" : "") + (gate.Manual ? $" (proxyctl rollout approve {rollout.Route})" : "")));
        }

        if (rollout.Leader is { } leader)
        {
            grid.AddRow("Leader", Formats.Cell(leader));
        }

        return new Panel(grid).Header(Formats.Cell($"{rollout.Route}: {rollout.Phase}"));
    }

    /// <summary>"Progressing step 1/2 weights blue=70 canary=30 | verdict pass: … | next: … at 20:31:05Z"; the same rollout state always gives the same line.</summary>
    public static string Line(RolloutResponse rollout)
    {
        var line = $"{rollout.Route} #{rollout.Id} {rollout.Phase} step {rollout.Step + 1}/{rollout.StepCount} weights {Formats.Weights(rollout.Weights)}";
        if (Verdict(rollout) is { } verdict)
        {
            line += $" | verdict {verdict}";
        }

        if (rollout.NextAction is { } next)
        {
            line += $" | next: {next}" + (rollout.NextActionAt is { } at ? $" at {Formats.Time(at)}" : "");
        }

        return line;
    }

    public static void Write(IAnsiConsole console, RolloutResponse rollout, DateTimeOffset now)
    {
        console.Write(Block(rollout, now));
        if (rollout.Events.Count > 0)
        {
            var events = new Table().AddColumns("AT", "EVENT");
            foreach (var e in rollout.Events.TakeLast(10))
            {
                events.AddRow(Formats.Time(e.At), Formats.Cell(e.Message));
            }

            console.Write(events);
        }
    }

    private static string? Verdict(RolloutResponse rollout) => rollout.Verdicts.Count == 0 ? null
        : rollout.Verdicts[0] is var v ? $"{v.Verdict}: {v.Summary} ({v.Candidate.Describe()}; {v.Stable.Describe()}{string.Concat((v.Metrics ?? []).Select(m => "; " + m.Describe()))})" : null;

    private static string? Next(RolloutResponse rollout, DateTimeOffset now) => rollout.NextAction is not { } next ? null
        : rollout.NextActionAt is { } at ? $"{next}, {Formats.Countdown(at, now)}" : next;

    private static string PhaseColour(string phase) => phase switch
    {
        "Succeeded" or "Promoted" => "green",
        "RolledBack" or "Aborted" or "RollingBack" => "red",
        "Paused" or "Waiting" => "yellow",
        _ => "blue",
    };
}
