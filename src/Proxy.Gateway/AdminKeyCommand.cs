using Proxy.Traffic.Admin;
using Proxy.Traffic.Admin.Auth;

namespace Proxy.Gateway;

/// <summary><c>Proxy.Gateway hash-key [KEY]</c>: makes a new admin API key (or takes the one given) and prints its configuration entry.</summary>
public static class AdminKeyCommand
{
    /// <summary>Writes the key (when generated), its SHA-256 and a configuration snippet.</summary>
    public static void Run(string? key, TextWriter output)
    {
        var generated = key is null;
        key ??= ApiKeyHasher.NewKey();
        var hash = ApiKeyHasher.Hash(key);
        if (generated)
        {
            output.WriteLine($"Key:     {key}");
            output.WriteLine("         (give it to the caller; it is not stored anywhere, only its hash is)");
        }

        output.WriteLine($"SHA-256: {hash}");
        output.WriteLine();
        output.WriteLine("Add it to the gateway's configuration (Role: Viewer reads, Operator changes):");
        output.WriteLine($$"""  "Admin": { "ApiKeys": [ { "Name": "ci", "Sha256": "{{hash}}", "Role": "{{AdminRoles.Operator}}" } ] }""");
    }
}
