namespace Proxy.Traffic.State;

/// <summary>One entry of a cluster's isolation audit trail: isolated or reset, when, by whom and why.</summary>
/// <param name="ClusterId">The cluster.</param>
/// <param name="At">When the change was made.</param>
/// <param name="Actor">The API key's name.</param>
/// <param name="Action">What was done: <see cref="IsolateAction"/> or <see cref="ResetAction"/>.</param>
/// <param name="Reason">The operator's reason, if given.</param>
public sealed record IsolationChange(string ClusterId, DateTimeOffset At, string Actor, string Action, string? Reason)
{
    /// <summary>The revision of the cluster's isolation setting this change created.</summary>
    public long Revision { get; init; }

    /// <summary>The isolation before, or null when the cluster was not isolated.</summary>
    public ManualIsolation? Before { get; init; }

    /// <summary>The isolation after, or null after a reset.</summary>
    public ManualIsolation? After { get; init; }

    /// <summary>The action of <c>POST /api/clusters/{id}/isolate</c>.</summary>
    public const string IsolateAction = "isolate";

    /// <summary>The action of <c>POST /api/clusters/{id}/reset</c>.</summary>
    public const string ResetAction = "reset";
}
