using System.Text.Json.Nodes;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Gateway;

namespace Proxy.FunctionalTests.Admin;

public class AdminConfigurationTests
{
    [Fact]
    public async Task An_invalid_admin_key_stops_the_start_up_with_a_readable_error()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestEnvironment.StartAsync(
            ["blue"],
            Splits.Route("blue", new() { ["blue"] = 100 }),
            config => config["Admin"]!["ApiKeys"]!.AsArray().Add(new JsonObject { ["Name"] = "ci", ["Sha256"] = "not-a-hash", ["Role"] = "Admin" })));

        var message = StartupError.Describe(error);

        Assert.NotNull(message);
        Assert.Contains("Admin:ApiKeys:2:Sha256: must be the key's SHA-256 as 64 hex digits", message, StringComparison.Ordinal);
        Assert.Contains("Admin:ApiKeys:2:Role: 'Admin' is not a role; use Viewer or Operator", message, StringComparison.Ordinal);
    }
}
