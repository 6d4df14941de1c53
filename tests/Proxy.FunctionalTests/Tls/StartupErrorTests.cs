using System.Net;
using System.Net.Sockets;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Tests.Tls;

namespace Proxy.FunctionalTests.Tls;

/// <summary>What the host refuses at start-up is one readable line naming the setting, with exit code 2 and no stack trace.</summary>
public sealed class StartupErrorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-startup-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public Task A_missing_certificate_file_is_one_line() => AssertRefusedAsync(
        "Kestrel:Certificates:Default: Path '/nonexistent/cert.pfx' does not exist.",
        "--Proxy:Urls=https://127.0.0.1:0", "--Kestrel:Certificates:Default:Path=/nonexistent/cert.pfx");

    [Fact]
    public Task Https_without_a_certificate_is_one_line() => AssertRefusedAsync(
        "Proxy:Urls: 'https://127.0.0.1:0' is HTTPS but no certificate is configured",
        "--Proxy:Urls=https://127.0.0.1:0");

    [Fact]
    public Task A_wrong_pfx_password_is_one_line()
    {
        var path = Path.Combine(_directory, "server.pfx");
        TestCertificates.WritePfx(TestCertificates.Create(["gateway.test"]), path, "right");
        return AssertRefusedAsync(
            $"Kestrel:Certificates:Default: '{path}' cannot be read as PFX: the Password is wrong",
            "--Proxy:Urls=https://127.0.0.1:0", $"--Kestrel:Certificates:Default:Path={path}", "--Kestrel:Certificates:Default:Password=wrong");
    }

    [Fact]
    public Task An_unreadable_certificate_file_is_one_line()
    {
        var path = Path.Combine(_directory, "garbage.pfx");
        File.WriteAllText(path, "not a certificate");
        return AssertRefusedAsync(
            $"Kestrel:Certificates:Default: '{path}' cannot be read as PFX",
            "--Proxy:Urls=https://127.0.0.1:0", $"--Kestrel:Certificates:Default:Path={path}");
    }

    [Fact]
    public Task An_invalid_url_is_one_line() => AssertRefusedAsync(
        "Admin:Urls: 'htp://127.0.0.1:0' must start with http:// or https://.",
        "--Admin:Urls=htp://127.0.0.1:0");

    [Fact]
    public async Task A_port_in_use_is_one_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await AssertRefusedAsync($"Cannot listen: Failed to bind to address http://127.0.0.1:{port}", $"--Proxy:Urls=http://127.0.0.1:{port}");
    }

    private async Task AssertRefusedAsync(string expected, params string[] settings)
    {
        var (exitCode, output, error) = await GatewayProcess.RunToExitAsync(
            _directory, ["--Admin:Urls=http://127.0.0.1:0", "--Proxy:Urls=http://127.0.0.1:0", $"--State:Sqlite:Path={Path.Combine(_directory, "state.db")}", .. settings]);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }
}
