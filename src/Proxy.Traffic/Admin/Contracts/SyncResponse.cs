namespace Proxy.Traffic.Admin.Contracts;

/// <summary>How current the answering instance's split is: with a shared store, each instance reports its own applied revision.</summary>
/// <param name="Instance">The answering instance's name in the fleet, or null when the state store is not shared.</param>
/// <param name="Stale">True when the split in force may lag behind the shared store (it cannot be reached): still served, fail static.</param>
/// <param name="LastSyncAt">When the instance last caught up with the shared store.</param>
/// <param name="Detail">Why the split may be stale.</param>
public sealed record SyncResponse(string? Instance, bool Stale, DateTimeOffset? LastSyncAt, string? Detail);
