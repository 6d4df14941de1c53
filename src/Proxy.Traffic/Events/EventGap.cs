namespace Proxy.Traffic.Events;

/// <summary>
/// Events a reconnecting client missed that the stream can no longer give it: its <c>Last-Event-ID</c> is older than the
/// buffer, or from another stream (the gateway restarted, or another instance). The client should read the state again.
/// </summary>
/// <param name="LastEventId">The id the client sent.</param>
/// <param name="OldestKeptId">The oldest event still kept (replayed after the gap), or null when none is.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record EventGap(string LastEventId, string? OldestKeptId, string Reason);
