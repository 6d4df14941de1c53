using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>One entry of a route's audit trail.</summary>
public sealed record HistoryEntryResponse(
    long Revision,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Source,
    SplitResponse? Before,
    SplitResponse? After,
    string? Reason)
{
    /// <summary>The API form of an audit entry.</summary>
    public static HistoryEntryResponse From(SplitRevision entry) => new(
        entry.Revision,
        entry.At,
        entry.Actor,
        entry.Action,
        entry.Source.ToString().ToLowerInvariant(),
        SplitResponse.From(entry.Before),
        SplitResponse.From(entry.After),
        entry.Reason);
}
