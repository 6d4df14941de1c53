using Proxy.Traffic.Admin;
using Proxy.Traffic.Admin.Auth;

namespace Proxy.Traffic.Tests.Admin;

public class ApiKeyHasherTests
{
    private static readonly AdminApiKeyOptions Ci = new() { Name = "ci", Sha256 = ApiKeyHasher.Hash("ci-key"), Role = AdminRoles.Operator };
    private static readonly AdminApiKeyOptions Grafana = new() { Name = "grafana", Sha256 = ApiKeyHasher.Hash("grafana-key").ToUpperInvariant(), Role = AdminRoles.Viewer };

    [Fact]
    public void Hash_is_the_lowercase_hex_sha256_of_the_key()
    {
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", ApiKeyHasher.Hash("hello"));
    }

    [Fact]
    public void Match_finds_the_key_whose_hash_matches_whatever_the_hex_case()
    {
        Assert.Same(Ci, ApiKeyHasher.Match("ci-key", [Ci, Grafana]));
        Assert.Same(Grafana, ApiKeyHasher.Match("grafana-key", [Ci, Grafana]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ci-ke")]
    [InlineData("CI-KEY")]
    [InlineData("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")]
    public void Match_refuses_anything_else_including_the_hash_itself(string presented)
    {
        Assert.Null(ApiKeyHasher.Match(presented, [Ci, Grafana, new AdminApiKeyOptions { Name = "h", Sha256 = ApiKeyHasher.Hash("hello") }]));
    }

    [Fact]
    public void New_keys_are_random_and_url_safe()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeyHasher.NewKey()).ToArray();

        Assert.Equal(100, keys.Distinct().Count());
        Assert.All(keys, k => Assert.Matches("^[A-Za-z0-9_-]{43}$", k));
    }
}
