using System.Globalization;
using Proxy.Traffic.Admin.Contracts;
using Spectre.Console;

namespace Proxy.Cli.Output;

/// <summary>A route's answer differences: totals, then per endpoint the differing fields with one example each, and the noise.</summary>
public static class MirrorDiffsView
{
    public static void Write(IAnsiConsole console, MirrorDiffsResponse diffs)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("Route", Formats.Cell($"{diffs.Route}: primary against {diffs.Cluster}, since {Formats.Time(diffs.Since)}"));
        grid.AddRow("Compared", Formats.Cell(diffs.Enabled
            ? $"{diffs.Compared} requests, {diffs.Differing} differing ({Rate(diffs.DiffRate)})"
            : "answers are not compared (diff.enabled is false)"));
        grid.AddRow("Not compared", Formats.Cell(Counts(diffs.NotCompared)));
        grid.AddRow("Noise copies", Formats.Cell($"{diffs.Noise.Sent} sent, {diffs.Noise.Failed} without answer"));
        grid.AddRow("Dropped", Formats.Cell(Counts(diffs.Dropped)));
        console.Write(grid);

        foreach (var endpoint in diffs.Endpoints)
        {
            console.WriteLine();
            console.MarkupLine(Formats.Cell(
                $"{endpoint.Endpoint}: {endpoint.Differing} of {endpoint.Compared} differ ({Rate(endpoint.DiffRate)}), {endpoint.NoiseSamples} noise samples"));
            if (endpoint.Fields.Count > 0)
            {
                var fields = new Table().AddColumns("FIELD", "COUNT", "SHARE", "EXAMPLE");
                foreach (var field in endpoint.Fields)
                {
                    fields.AddRow(Formats.Cell(field.Field), Count(field.Count), Rate(field.Share), Formats.Cell(Example(field.Example)));
                }

                console.Write(fields);
            }

            if (endpoint.Noise.Count > 0)
            {
                var noise = new Table().AddColumns("NOISE", "NOISE RATE", "CANDIDATE", "EXAMPLE");
                foreach (var field in endpoint.Noise)
                {
                    noise.AddRow(Formats.Cell(field.Field), Rate(field.NoiseRate), Count(field.CandidateCount), Formats.Cell(Example(field.Example)));
                }

                console.Write(noise);
            }
        }
    }

    private static string Example(DiffExampleResponse example) => $"{example.At} {example.Kind}: {example.Primary ?? "-"} → {example.Other ?? "-"}";

    private static string Counts(IReadOnlyDictionary<string, long> counts) =>
        counts.Any(c => c.Value > 0) ? string.Join(' ', counts.Where(c => c.Value > 0).Select(c => $"{c.Key}={c.Value}")) : "none";

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Rate(double? rate) => rate is { } value ? (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-";
}
