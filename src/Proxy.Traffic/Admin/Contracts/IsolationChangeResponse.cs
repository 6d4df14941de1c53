using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>One entry of a cluster's isolation audit trail: an operator's isolate or reset, with the isolation before and after.</summary>
public sealed record IsolationChangeResponse(DateTimeOffset At, string Actor, string Action, string? Reason)
{
    /// <summary>The revision of the cluster's isolation setting this change created.</summary>
    public long Revision { get; init; }

    /// <summary>The isolation before, or null when the cluster was not isolated.</summary>
    public IsolationResponse? Before { get; init; }

    /// <summary>The isolation after, or null after a reset.</summary>
    public IsolationResponse? After { get; init; }

    /// <summary>The API form of an audit entry.</summary>
    public static IsolationChangeResponse From(IsolationChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.At, change.Actor, change.Action, change.Reason)
        {
            Revision = change.Revision,
            Before = IsolationResponse.From(change.Before),
            After = IsolationResponse.From(change.After),
        };
    }
}

/// <summary>A manual isolation as the admin API shows it in audit trails.</summary>
public sealed record IsolationResponse(string Actor, DateTimeOffset At, string? Reason)
{
    /// <summary>The API form of an isolation; null for none.</summary>
    public static IsolationResponse? From(ManualIsolation? isolation) => isolation is null ? null : new(isolation.Actor, isolation.At, isolation.Reason);
}
