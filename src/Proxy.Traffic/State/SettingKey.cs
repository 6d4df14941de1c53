namespace Proxy.Traffic.State;

/// <summary>Identifies one runtime setting: its kind (<see cref="SettingKinds"/>) and the route or cluster it is about (compared case-insensitively).</summary>
public readonly record struct SettingKey(string Kind, string Id)
{
    public bool Equals(SettingKey other) =>
        string.Equals(Kind, other.Kind, StringComparison.Ordinal) && string.Equals(Id, other.Id, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.OrdinalIgnoreCase.GetHashCode(Id));

    public override string ToString() => $"{Kind} {Id}";
}
