namespace Proxy.Gateway;

/// <summary>The gateway's own command-line switches; everything else is passed on to ASP.NET Core configuration.</summary>
public sealed record GatewayCommandLine(bool Demo, string? ConfigFile, string? AdminKey, string[] HostArgs)
{
    /// <summary>The configuration file the demo uses, shipped next to the executable.</summary>
    public const string DemoConfigFile = "config/demo.json";

    /// <summary>True for <c>hash-key [KEY]</c>: print an admin API key's hash and exit.</summary>
    public bool HashKey { get; init; }

    /// <summary>True for <c>--demo --https</c>: the demo adds a TLS listener with a self-signed certificate.</summary>
    public bool Https { get; init; }

    /// <summary>The key given to <c>hash-key</c>, or null to generate one.</summary>
    public string? KeyToHash { get; init; }

    /// <summary>Parses <c>hash-key [KEY]</c>, or <c>--demo [--https]</c>, <c>--config FILE</c> and <c>--admin-key KEY</c>.</summary>
    public static GatewayCommandLine Parse(string[] args)
    {
        if (args is ["hash-key", .. var key])
        {
            return new GatewayCommandLine(false, null, null, []) { HashKey = true, KeyToHash = key.FirstOrDefault() };
        }

        var demo = false;
        var https = false;
        string? config = null;
        string? adminKey = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--demo":
                    demo = true;
                    break;
                case "--https":
                    https = true;
                    break;
                case "--config" when i + 1 < args.Length:
                    config = args[++i];
                    break;
                case "--admin-key" when i + 1 < args.Length:
                    adminKey = args[++i];
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        return new GatewayCommandLine(demo, config, adminKey, [.. rest]) { Https = https };
    }

    /// <summary>
    /// Why this command line cannot start a gateway, as one line, or null. A key given in clear on a command line is
    /// visible to every user of the machine (ps, /proc): only the throw-away demo takes one.
    /// </summary>
    public string? Problem => AdminKey is not null && !Demo
        ? "--admin-key is only accepted with --demo: configure the gateway's keys hashed in Admin:ApiKeys (\"hash-key KEY\" prints a key's hash). Nothing was started."
        : null;

    /// <summary>The configuration file to load: the one named, the demo's, or none.</summary>
    public string? ResolveConfigFile()
    {
        var file = ConfigFile ?? (Demo ? DemoConfigFile : null);
        if (file is null || Path.IsPathRooted(file) || File.Exists(file))
        {
            return file is null ? null : Path.GetFullPath(file);
        }

        // Relative paths not found from the working directory are looked up next to the executable.
        return Path.Combine(AppContext.BaseDirectory, file);
    }
}
