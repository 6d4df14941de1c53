using Proxy.Cli.Output;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Splitting;

namespace Proxy.Cli.Files;

/// <summary>What applying a configuration file would change on a running gateway, route by route.</summary>
/// <param name="Route">The route.</param>
/// <param name="Change"><c>added</c>, <c>removed</c>, <c>changed</c> or <c>unchanged</c>.</param>
/// <param name="Before">The split in force, or null.</param>
/// <param name="After">The split in force once the file is applied, or null.</param>
/// <param name="Detail">What changes, in words.</param>
public sealed record RouteChange(string Route, string Change, SplitResponse? Before, SplitResponse? After, string Detail);

/// <summary>
/// Compares a file's splits with the running routes by the gateway's merge rule: a route whose split in the file is the one
/// last applied from the file keeps its split in force (runtime changes included); one whose file split differs gets the
/// file's; new routes are added and routes the file no longer has are removed.
/// </summary>
public static class ConfigDiff
{
    public static IReadOnlyList<RouteChange> Compare(TrafficSplitConfig file, IEnumerable<RouteResponse> running)
    {
        ArgumentNullException.ThrowIfNull(file);
        var live = running.ToDictionary(r => r.Route, StringComparer.OrdinalIgnoreCase);
        var changes = new List<RouteChange>();
        foreach (var routeId in file.Routes.Keys.Union(live.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            var wanted = file.Routes.TryGetValue(routeId, out var definition) ? SplitOf(definition) : null;
            var current = live.GetValueOrDefault(routeId);
            var inForce = current is null ? null : new SplitResponse(current.Stable, current.Weights);
            changes.Add((wanted, current) switch
            {
                (not null, null) => new RouteChange(routeId, "added", null, wanted, $"new split: {Describe(wanted)}"),
                (null, not null) => new RouteChange(routeId, "removed", inForce, null, $"the file has no split for it: {Describe(inForce!)} would be removed"),
                (not null, not null) when current.ConfigFile is { } applied && Same(applied, wanted) => new RouteChange(
                    routeId, "unchanged", inForce, inForce, Same(inForce!, wanted)
                        ? "no change"
                        : $"no change: the file's split is the one applied last, so the runtime split {Describe(inForce!)} stays in force"),
                _ => new RouteChange(routeId, Same(inForce!, wanted!) ? "unchanged" : "changed", inForce, wanted, Same(inForce!, wanted!)
                    ? "the file's split is already in force"
                    : $"{Describe(inForce!)} → {Describe(wanted!)}" + (current!.ConfigFile is { } file2 && !Same(file2, inForce!) ? " (replacing changes made through the API)" : "")),
            });
        }

        return changes;
    }

    private static SplitResponse SplitOf(SplitDefinition definition) => new(definition.Stable, SplitResponse.Percentages(definition.Weights));

    private static bool Same(SplitResponse a, SplitResponse b) =>
        string.Equals(a.Stable, b.Stable, StringComparison.Ordinal)
        && a.Weights.Where(w => w.Value != 0).OrderBy(w => w.Key, StringComparer.Ordinal)
            .SequenceEqual(b.Weights.Where(w => w.Value != 0).OrderBy(w => w.Key, StringComparer.Ordinal));

    private static string Describe(SplitResponse split) => $"stable {split.Stable}, {Formats.Weights(split.Weights)}";
}
