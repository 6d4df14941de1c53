namespace Proxy.Traffic.Admin;

/// <summary>The <c>Admin</c> section: where the admin API listens, who may call it, and how much it reads.</summary>
public sealed class AdminOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Admin";

    /// <summary>Where the admin API listens when <see cref="Urls"/> is not set.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8081";

    /// <summary>The admin listener's URLs, <c>;</c>-separated. The admin API answers there only, never on the proxy port.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>The API keys, stored as SHA-256 hashes.</summary>
    public List<AdminApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>The largest request body the admin API reads; larger ones get 413.</summary>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Further authentication schemes the admin policies accept (for example a JWT bearer scheme the host registers).</summary>
    public List<string> AuthenticationSchemes { get; set; } = [];
}

/// <summary>One admin API key.</summary>
public sealed class AdminApiKeyOptions
{
    /// <summary>Who the key belongs to; recorded as the actor of every change made with it.</summary>
    public string Name { get; set; } = "";

    /// <summary>The SHA-256 of the key, as 64 hex digits (<c>Proxy.Gateway hash-key</c> prints it).</summary>
    public string Sha256 { get; set; } = "";

    /// <summary><c>Viewer</c> (reads) or <c>Operator</c> (reads and changes).</summary>
    public string Role { get; set; } = AdminRoles.Viewer;
}

/// <summary>The roles an admin API key can have.</summary>
public static class AdminRoles
{
    /// <summary>May read route state and history.</summary>
    public const string Viewer = "Viewer";

    /// <summary>May also change weights, roll back, promote, undo and control breakers.</summary>
    public const string Operator = "Operator";
}
