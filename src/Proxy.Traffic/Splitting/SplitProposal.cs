namespace Proxy.Traffic.Splitting;

/// <summary>What a change proposes for a route's split, decided against the snapshot in force: a new definition, or a refusal.</summary>
/// <param name="Definition">The split to put in force; null with no refusal leaves the route as it is.</param>
/// <param name="Refusal">Why the change does not apply to the split in force.</param>
public readonly record struct SplitProposal(SplitDefinition? Definition, string? Refusal)
{
    /// <summary>Proposes <paramref name="definition"/>.</summary>
    public static SplitProposal To(SplitDefinition definition) => new(definition, null);

    /// <summary>Refuses the change, saying why.</summary>
    public static SplitProposal Refuse(string reason) => new(null, reason);
}
