namespace Proxy.Traffic.State;

/// <summary>A setting whose persisted revision moved: committed here (<see cref="Change"/> set) or by another instance.</summary>
/// <param name="Previous">What was persisted before, as this instance knew it; null for a setting new to it.</param>
/// <param name="Current">What is persisted now.</param>
/// <param name="Change">The audit entry of a commit made here; null for another instance's commit.</param>
public sealed record SettingUpdate(StoredSetting? Previous, StoredSetting Current, SettingChange? Change)
{
    /// <summary>The setting.</summary>
    public SettingKey Key => Current.Key;
}

/// <summary>A feature's typed view of one kind over <see cref="RuntimeStateStore"/>, which calls it under its write gate.</summary>
internal interface IRuntimeSettingView
{
    /// <summary>The kind (<see cref="SettingKinds"/>).</summary>
    string Kind { get; }

    /// <summary>The persisted state was (re)loaded: merge it with the configuration file as a start-up would (may commit).</summary>
    Task RestartAsync(StateTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Puts updated settings of this kind in force: this instance's commits and other instances' take this one path.</summary>
    Task ApplyAsync(IReadOnlyList<SettingUpdate> updates, CancellationToken cancellationToken);
}
