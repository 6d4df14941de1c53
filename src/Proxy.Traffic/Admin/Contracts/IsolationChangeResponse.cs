using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>One entry of a cluster's isolation audit trail: an operator's isolate or reset.</summary>
public sealed record IsolationChangeResponse(DateTimeOffset At, string Actor, string Action, string? Reason)
{
    /// <summary>The API form of an audit entry.</summary>
    public static IsolationChangeResponse From(IsolationChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(change.At, change.Actor, change.Action, change.Reason);
    }
}
