namespace Proxy.Traffic.State;

/// <summary>
/// This instance found that the shared state it had synced with was gone (a Redis that came back empty) or replaced,
/// and took the state the store holds now as a start-up would.
/// </summary>
/// <param name="Rebuilt">The settings this instance wrote back, when it was the one that rebuilt the state; empty when another
/// instance rebuilt (or recreated) it first.</param>
public sealed record StateRecovery(IReadOnlyList<StoredSetting> Rebuilt)
{
    /// <summary>The splits among <see cref="Rebuilt"/>.</summary>
    public IReadOnlyList<RouteSplitRecord> RebuiltSplits =>
        [.. Rebuilt.Where(s => s.Key.Kind == SettingKinds.Split).Select(SplitSetting.Read)];

    /// <summary>True when this instance rebuilt the state.</summary>
    public bool RebuiltHere => Rebuilt.Count > 0;

    /// <summary>The settings written back, as operators read them in logs.</summary>
    public override string ToString() =>
        string.Join("; ", Rebuilt.Select(s => $"{s.Key} at revision {s.Revision}{(s.Value is null ? " (removed)" : "")}"));
}
