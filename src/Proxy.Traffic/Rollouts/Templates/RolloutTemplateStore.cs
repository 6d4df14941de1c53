namespace Proxy.Traffic.Rollouts.Templates;

/// <summary>
/// The rollout templates of the configuration in force (<c>TrafficSplit:RolloutTemplates</c>), swapped whole when a valid
/// configuration is applied. A rollout keeps the plan it was started with: a new template changes later rollouts only.
/// </summary>
public sealed class RolloutTemplateStore
{
    private volatile IReadOnlyDictionary<string, StartRolloutRequest> _templates = new Dictionary<string, StartRolloutRequest>();

    /// <summary>The templates by name (names compare ignoring case).</summary>
    public IReadOnlyDictionary<string, StartRolloutRequest> All => _templates;

    /// <summary>Puts the templates of a configuration that was just validated in force.</summary>
    internal void Apply(IReadOnlyDictionary<string, StartRolloutRequest> templates) => _templates = templates;
}
