using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Telemetry;
using Proxy.Traffic.Tests.Tls;
using Proxy.Traffic.Tls;

namespace Proxy.FunctionalTests.Tls;

public sealed class TlsListenerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-tls-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Https_with_http2_reaches_both_versions_of_a_split_route()
    {
        var (cert, key) = WritePem("default", ["gateway.test"]);
        await using var env = await StartAsync(new() { ["Kestrel:Certificates:Default:Path"] = cert, ["Kestrel:Certificates:Default:KeyPath"] = key });
        var seen = new List<string>();
        using var client = TlsClients.Http2(env.ProxyAddress, seen);

        var versions = new HashSet<string>();
        for (var i = 0; i < 60 && versions.Count < 2; i++)
        {
            using var response = await client.GetAsync("/");
            Assert.Equal(HttpVersion.Version20, response.Version);
            versions.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetString()!);
        }

        Assert.Equal(["blue", "canary"], versions.Order());
        Assert.Equal("https", env.ProxyAddress.Scheme);
        Assert.Single(seen);
    }

    [Fact]
    public async Task Two_sni_hosts_get_their_own_certificates_and_other_names_the_default()
    {
        var defaults = WritePem("default", ["gateway.test"]);
        var shop = WritePem("shop", ["shop.test"]);
        var apps = WritePem("apps", ["*.apps.test"]);
        await using var env = await StartAsync(new()
        {
            ["Kestrel:Certificates:Default:Path"] = defaults.Cert, ["Kestrel:Certificates:Default:KeyPath"] = defaults.Key,
            ["Proxy:Tls:Hosts:shop.test:Path"] = shop.Cert, ["Proxy:Tls:Hosts:shop.test:KeyPath"] = shop.Key,
            ["Proxy:Tls:Hosts:*.apps.test:Path"] = apps.Cert, ["Proxy:Tls:Hosts:*.apps.test:KeyPath"] = apps.Key,
        });

        Assert.Equal("CN=shop.test", (await TlsClients.HandshakeAsync(env.ProxyAddress, "shop.test")).Subject);
        Assert.Equal("CN=*.apps.test", (await TlsClients.HandshakeAsync(env.ProxyAddress, "billing.apps.test")).Subject);
        Assert.Equal("CN=gateway.test", (await TlsClients.HandshakeAsync(env.ProxyAddress, "elsewhere.test")).Subject);
    }

    [Fact]
    public async Task A_renewed_certificate_serves_new_handshakes_while_an_open_connection_keeps_working()
    {
        var (cert, key) = WritePem("renew", ["renew.test"]);
        await using var env = await StartAsync(new()
        {
            ["Kestrel:Certificates:Default:Path"] = cert, ["Kestrel:Certificates:Default:KeyPath"] = key,
            ["Proxy:Tls:ReloadInterval"] = "00:00:00.200",
        });
        var seen = new List<string>();
        using var open = TlsClients.Http2(env.ProxyAddress, seen);
        Assert.Equal(HttpStatusCode.OK, (await open.GetAsync("/")).StatusCode);
        var oldSerial = Assert.Single(seen);

        var renewed = TestCertificates.Create(["renew.test"]);
        TestCertificates.WritePem(renewed, cert, key);

        await Eventually.TrueAsync(
            async () => (await TlsClients.HandshakeAsync(env.ProxyAddress, "renew.test")).SerialNumber == renewed.SerialNumber,
            "a new handshake did not get the renewed certificate");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await open.GetAsync("/")).StatusCode);
        }

        // The open connection was never re-established: it saw only the old certificate.
        Assert.Equal([oldSerial], seen);
        var listed = await env.CreateAdminClient().GetFromJsonAsync<JsonElement>("/api/certificates");
        Assert.Equal(renewed.SerialNumber, listed[0].GetProperty("serial").GetString());
    }

    [Fact]
    public async Task A_bad_renewal_is_refused_counted_and_the_certificate_in_force_stays()
    {
        var (cert, key) = WritePem("bad", ["bad.test"]);
        await using var env = await StartAsync(new()
        {
            ["Kestrel:Certificates:Default:Path"] = cert, ["Kestrel:Certificates:Default:KeyPath"] = key,
            ["Proxy:Tls:ReloadInterval"] = "00:00:00.200",
        });
        var before = (await TlsClients.HandshakeAsync(env.ProxyAddress, "bad.test")).SerialNumber;
        var store = env.Services.GetRequiredService<ServerCertificateStore>();

        // A new certificate whose key file was not replaced: the key does not match.
        TestCertificates.Replace(cert, TestCertificates.Create(["bad.test"]).ExportCertificatePem());

        await Eventually.TrueAsync(() => store.Refusals == 1, "the mismatched renewal was not refused");
        Assert.Equal(before, (await TlsClients.HandshakeAsync(env.ProxyAddress, "bad.test")).SerialNumber);
        using var renewals = new MetricCollector<long>(env.Services.GetRequiredService<IMeterFactory>(), TrafficTelemetry.MeterName, "proxy.tls.certificate.renewals");
        renewals.RecordObservableInstruments();
        Assert.Equal(1, renewals.GetMeasurementSnapshot().Single(m => (string?)m.Tags["proxy.result"] == "refused").Value);
    }

    [Fact]
    public async Task A_pem_fullchain_sends_its_intermediate_with_the_certificate()
    {
        var (leaf, intermediate) = TestCertificates.CreateSignedByIntermediate("chain.test");
        var (cert, key) = (Path.Combine(_directory, "fullchain.pem"), Path.Combine(_directory, "privkey.pem"));
        TestCertificates.WriteFullChainPem(leaf, [intermediate], cert, key);
        await using var env = await StartAsync(new() { ["Kestrel:Certificates:Default:Path"] = cert, ["Kestrel:Certificates:Default:KeyPath"] = key });

        var sent = await TlsClients.ChainSentAsync(env.ProxyAddress, "chain.test");

        Assert.Equal(leaf.Thumbprint, sent[0]);
        Assert.Contains(intermediate.Thumbprint, sent);
    }

    [Fact]
    public async Task The_admin_api_and_the_expiry_metric_describe_each_certificate()
    {
        var defaults = WritePem("default", ["gateway.test", "www.gateway.test"]);
        var shop = WritePem("shop", ["shop.test"], TimeSpan.FromDays(10));
        await using var env = await StartAsync(new()
        {
            ["Kestrel:Certificates:Default:Path"] = defaults.Cert, ["Kestrel:Certificates:Default:KeyPath"] = defaults.Key,
            ["Proxy:Tls:Hosts:shop.test:Path"] = shop.Cert, ["Proxy:Tls:Hosts:shop.test:KeyPath"] = shop.Key,
        });

        using var viewer = env.CreateAdminClient(TestEnvironment.ViewerKey);
        var listed = await viewer.GetFromJsonAsync<JsonElement>("/api/certificates");
        var byName = listed.EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(["Default", "shop.test"], byName.Keys.Order());
        Assert.Equal(["gateway.test", "www.gateway.test"], byName["Default"].GetProperty("dnsNames").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("CN=shop.test", byName["shop.test"].GetProperty("subject").GetString());
        var shopExpiry = byName["shop.test"].GetProperty("expiresInSeconds").GetInt64();
        Assert.InRange(shopExpiry, TimeSpan.FromDays(10).TotalSeconds - TimeSpan.FromHours(1.1).TotalSeconds, TimeSpan.FromDays(10).TotalSeconds - TimeSpan.FromHours(0.9).TotalSeconds);

        using var expiry = new MetricCollector<double>(env.Services.GetRequiredService<IMeterFactory>(), TrafficTelemetry.MeterName, "proxy.tls.certificate.expiry");
        expiry.RecordObservableInstruments();
        var measured = expiry.GetMeasurementSnapshot().Single(m => (string?)m.Tags[TlsMetrics.CertificateTag] == "shop.test").Value;
        Assert.InRange(measured, shopExpiry - 60, shopExpiry + 60);
        Assert.Equal(HttpStatusCode.Unauthorized, (await env.CreateAdminClient(key: null).GetAsync("/api/certificates")).StatusCode);
    }

    private (string Cert, string Key) WritePem(string name, string[] dnsNames, TimeSpan? validFor = null)
    {
        var files = (Path.Combine(_directory, name + ".crt"), Path.Combine(_directory, name + ".key"));
        TestCertificates.WritePem(TestCertificates.Create(dnsNames, validFor), files.Item1, files.Item2);
        return files;
    }

    private static Task<TestEnvironment> StartAsync(Dictionary<string, string?> tls) =>
        TestEnvironment.StartAsync(
            ["blue", "canary"],
            Splits.Route("blue", new() { ["blue"] = 50, ["canary"] = 50 }),
            configureGateway: builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(tls) { ["Proxy:Urls"] = "https://127.0.0.1:0" }));
}
