using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Proxy.Cli;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Cli;

public class ConnectionTests
{
    private static Task<TestEnvironment> StartAsync() =>
        TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }));

    [Fact]
    public async Task A_stopped_gateway_exits_5_with_one_line()
    {
        Uri admin;
        await using (var env = await StartAsync())
        {
            admin = env.AdminAddress;
        }

        using var cli = new ProxyCtlRunner(admin);
        var read = await cli.RunAsync("routes", "list");
        var write = await cli.RunAsync("weights", "set", "shop", "blue=100");

        Assert.Equal((5, 5), (read.ExitCode, write.ExitCode));
        Assert.Equal($"proxyctl: cannot reach {admin}: Connection refused", read.Error.Trim());
    }

    [Fact]
    public async Task The_key_comes_from_a_file_or_stdin_and_is_never_printed()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(env, key: null);
        var keyFile = cli.WriteFile("key", TestEnvironment.OperatorKey + "\n");

        var fromFile = await cli.RunAsync("rollback", "shop", "--key-file", keyFile);
        var fromStdin = await cli.RunWithInputAsync(TestEnvironment.OperatorKey + "\n", "undo", "shop", "--key-stdin");
        var wrong = await cli.RunAsync("routes", "list", "--key", "not-a-key");
        var help = await cli.RunAsync("routes", "list", "--key", TestEnvironment.OperatorKey, "--help");

        Assert.Equal((0, 0, 4), (fromFile.ExitCode, fromStdin.ExitCode, wrong.ExitCode));
        Assert.Equal(3, env.Revision("shop"));
        foreach (var result in (CliResult[])[fromFile, fromStdin, wrong, help])
        {
            Assert.DoesNotContain(TestEnvironment.OperatorKey, result.Output + result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("not-a-key", result.Output + result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Contexts_name_gateways_in_a_file_only_its_owner_can_read()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(server: null, key: null);
        var viewerKeyFile = cli.WriteFile("viewer-key", TestEnvironment.ViewerKey);

        var addOps = await cli.RunAsync("context", "add", "ops", "--server", env.AdminAddress.ToString(), "--key", TestEnvironment.OperatorKey);
        var addViewer = await cli.RunAsync("context", "add", "viewer", "--server", env.AdminAddress.ToString(), "--key-file", viewerKeyFile);
        var viewerWrite = await cli.RunAsync("rollback", "shop");
        var opsWrite = await cli.RunAsync("rollback", "shop", "--context", "ops");
        var use = await cli.RunAsync("context", "use", "ops");
        var undo = await cli.RunAsync("undo", "shop");
        var list = await cli.RunAsync("context", "list");
        var unknown = await cli.RunAsync("context", "use", "nope");

        Assert.Equal((0, 0), (addOps.ExitCode, addViewer.ExitCode));
        Assert.Equal(4, viewerWrite.ExitCode);
        Assert.Equal((0, 0, 0), (opsWrite.ExitCode, use.ExitCode, undo.ExitCode));
        Assert.Equal(3, env.Revision("shop"));
        Assert.Matches(@"\*\W+ops\W", list.Output);
        Assert.Contains($"file {viewerKeyFile}", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(TestEnvironment.OperatorKey, list.Output, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ContextsFile));
        }
    }

    [Fact]
    public async Task Flags_win_over_the_environment_and_no_server_is_a_usage_error()
    {
        await using var env = await StartAsync();
        using var cli = new ProxyCtlRunner(new Uri("http://127.0.0.1:1/"));
        using var none = new ProxyCtlRunner(server: null);

        var flag = await cli.RunAsync("routes", "list", "--server", env.AdminAddress.ToString());
        var environment = await cli.RunAsync("routes", "list");
        var noServer = await none.RunAsync("routes", "list");

        Assert.Equal((0, 5, 2), (flag.ExitCode, environment.ExitCode, noServer.ExitCode));
        Assert.Contains(CliEnvironment.Server, noServer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_is_trusted_through_the_CA_file_given_and_refused_without_it()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=proxyctl-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        using var cli = new ProxyCtlRunner(server: null);
        var caFile = cli.WriteFile("ca.pem", certificate.ExportCertificatePem());

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null))));
        await using var server = builder.Build();
        server.MapGet("/api/routes", () => Results.Content("[]", "application/json"));
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var trusted = await cli.RunAsync("routes", "list", "--server", address, "--ca-file", caFile);
        var untrusted = await cli.RunAsync("routes", "list", "--server", address);

        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Assert.Equal(5, untrusted.ExitCode);
        Assert.Contains("cannot reach", untrusted.Error, StringComparison.Ordinal);
    }
}
