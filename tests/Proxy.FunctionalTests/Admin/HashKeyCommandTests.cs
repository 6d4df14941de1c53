using Proxy.Gateway;
using Proxy.Traffic.Admin.Auth;

namespace Proxy.FunctionalTests.Admin;

public class HashKeyCommandTests
{
    [Fact]
    public void Hash_key_parses_and_prints_the_hash_of_a_given_key_without_echoing_it()
    {
        var commandLine = GatewayCommandLine.Parse(["hash-key", "my-secret"]);
        using var output = new StringWriter();

        AdminKeyCommand.Run(commandLine.KeyToHash, output);

        Assert.True(commandLine.HashKey);
        Assert.Contains($"SHA-256: {ApiKeyHasher.Hash("my-secret")}", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("my-secret", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_key_without_a_key_makes_one_whose_hash_it_prints()
    {
        using var output = new StringWriter();

        AdminKeyCommand.Run(GatewayCommandLine.Parse(["hash-key"]).KeyToHash, output);

        var lines = output.ToString().Split(Environment.NewLine);
        var key = lines.Single(l => l.StartsWith("Key:", StringComparison.Ordinal))["Key:".Length..].Trim();
        Assert.Contains($"SHA-256: {ApiKeyHasher.Hash(key)}", lines);
    }
}
