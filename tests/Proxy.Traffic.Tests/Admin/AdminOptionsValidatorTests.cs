using Proxy.Traffic.Admin;
using Proxy.Traffic.Admin.Auth;

namespace Proxy.Traffic.Tests.Admin;

public class AdminOptionsValidatorTests
{
    [Fact]
    public void Every_key_error_is_reported_with_its_configuration_path()
    {
        var options = new AdminOptions
        {
            ApiKeys =
            [
                new() { Name = "ci", Sha256 = ApiKeyHasher.Hash("a"), Role = AdminRoles.Operator },
                new() { Name = "ci", Sha256 = "not-hex", Role = "Admin" },
                new() { Name = "", Sha256 = ApiKeyHasher.Hash("b"), Role = AdminRoles.Viewer },
            ],
        };

        var result = new AdminOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "Admin:ApiKeys:1:Name: the name 'ci' is used by another key",
                "Admin:ApiKeys:1:Sha256: must be the key's SHA-256 as 64 hex digits (print it with: Proxy.Gateway hash-key)",
                "Admin:ApiKeys:1:Role: 'Admin' is not a role; use Viewer or Operator",
                "Admin:ApiKeys:2:Name: a name is required (it is recorded as the actor of changes)",
            ],
            result.Failures);
    }

    [Fact]
    public void No_keys_is_valid_the_api_then_refuses_every_call()
    {
        Assert.True(new AdminOptionsValidator().Validate(null, new AdminOptions()).Succeeded);
    }
}
