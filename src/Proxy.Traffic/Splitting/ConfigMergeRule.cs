using Proxy.Traffic.State;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// How the configuration file and persisted runtime changes meet for one route: runtime changes stand until the
/// file's split for that route changes; then the file wins and the change is recorded as a new revision.
/// </summary>
internal static class ConfigMergeRule
{
    /// <summary>The definition to put in force for a route the file defines.</summary>
    /// <param name="file">The route's split as the file defines it now.</param>
    /// <param name="record">The route's persisted state, if any.</param>
    /// <param name="inForce">The snapshot in force, or null at start-up.</param>
    public static ConfigMergeResult Resolve(SplitDefinition file, RouteSplitRecord? record, SplitSnapshot? inForce)
    {
        var fromFile = SplitState.Of(file);
        if (record is { Current: { } runtime, Configured: { } baseline } && baseline.Equals(fromFile) && runtime.HasSameClustersAs(fromFile))
        {
            // The file's split is the one last applied: runtime changes stand. Stickiness and overrides always come from the file.
            var definition = file with { Stable = runtime.Stable, Weights = runtime.Weights };
            return inForce is not null && !inForce.Definition.RoutesLike(definition)
                ? new ConfigMergeResult(definition, true, "sticky or override rules changed in configuration; weights kept")
                : new ConfigMergeResult(definition, false, null);
        }

        var replaced = record?.Current is { } previous && !previous.Equals(fromFile) && record.Configured is not null && !previous.Equals(record.Configured)
            ? $"configuration file changed; it replaces the runtime split {previous}"
            : null;
        return new ConfigMergeResult(file, true, replaced);
    }
}

/// <summary>The definition to put in force, whether it makes a new revision, and why (for the audit trail).</summary>
internal sealed record ConfigMergeResult(SplitDefinition Definition, bool NeedsRevision, string? Reason);
