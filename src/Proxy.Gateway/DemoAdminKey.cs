namespace Proxy.Gateway;

/// <summary>The operator key <c>--demo</c> made (or was given with <c>--admin-key</c>), so that the summary can print it.</summary>
public sealed record DemoAdminKey(string Key)
{
    /// <summary>The key's name: the actor recorded for changes made with it.</summary>
    public const string Name = "demo";
}
