using Proxy.FunctionalTests.Infrastructure;
using Proxy.Gateway;

namespace Proxy.FunctionalTests.Admin;

/// <summary><c>--admin-key</c> is for the demo only; elsewhere it is refused at start-up instead of silently ignored (issue 14).</summary>
public class AdminKeyCommandLineTests
{
    [Fact]
    public async Task Admin_key_without_demo_stops_the_process_with_one_readable_line_that_does_not_print_the_key()
    {
        var config = Path.Combine(Path.GetTempPath(), $"proxy-test-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, "{}");
        try
        {
            var (exitCode, output, _) = await GatewayProcess.RunToExitAsync(null, "--config", config, "--admin-key", "s3cret-from-the-command-line", "--Proxy:Urls=http://127.0.0.1:0", "--Admin:Urls=http://127.0.0.1:0");

            Assert.Equal(2, exitCode);
            var line = Assert.Single(output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("--admin-key is only accepted with --demo", line, StringComparison.Ordinal);
            Assert.Contains("Admin:ApiKeys", line, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret-from-the-command-line", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Admin_key_is_accepted_with_demo()
    {
        Assert.Null(GatewayCommandLine.Parse(["--demo", "--admin-key", "demo-key"]).Problem);
        Assert.NotNull(GatewayCommandLine.Parse(["--admin-key", "demo-key"]).Problem);
        Assert.Null(GatewayCommandLine.Parse(["--config", "gateway.json"]).Problem);
    }
}
