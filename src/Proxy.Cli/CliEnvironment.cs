using System.Collections;

namespace Proxy.Cli;

/// <summary>The environment variables proxyctl reads (PROXYCTL_SERVER, PROXYCTL_KEY, PROXYCTL_CONFIG, …), passed in so tests can set their own.</summary>
public sealed class CliEnvironment(IReadOnlyDictionary<string, string?> variables)
{
    /// <summary>The admin API's address.</summary>
    public const string Server = "PROXYCTL_SERVER";

    /// <summary>The API key.</summary>
    public const string Key = "PROXYCTL_KEY";

    /// <summary>A PEM file of the CA that signed the admin listener's certificate.</summary>
    public const string CaFile = "PROXYCTL_CA_FILE";

    /// <summary>The context to use instead of the config file's current one.</summary>
    public const string Context = "PROXYCTL_CONTEXT";

    /// <summary>The contexts file (default: proxyctl/config.json under the user's config directory).</summary>
    public const string ConfigFile = "PROXYCTL_CONFIG";

    /// <summary>A variable's value, or null when unset or empty.</summary>
    public string? this[string name] => variables.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>The process's environment.</summary>
    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        return new CliEnvironment(variables);
    }
}
