using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Tls;

namespace Proxy.Traffic.Tests.Tls;

public sealed class ServerCertificateStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-tls-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Sni_picks_the_exact_host_then_a_one_label_wildcard_then_the_default()
    {
        var defaults = Pem("default", ["gateway.test"]);
        var shop = Pem("shop", ["shop.test"]);
        var wildcard = Pem("wildcard", ["*.apps.test"]);
        var store = Store(new()
        {
            ["Kestrel:Certificates:Default:Path"] = defaults.Cert, ["Kestrel:Certificates:Default:KeyPath"] = defaults.Key,
            ["Proxy:Tls:Hosts:shop.test:Path"] = shop.Cert, ["Proxy:Tls:Hosts:shop.test:KeyPath"] = shop.Key,
            ["Proxy:Tls:Hosts:*.apps.test:Path"] = wildcard.Cert, ["Proxy:Tls:Hosts:*.apps.test:KeyPath"] = wildcard.Key,
        });

        Assert.Equal("CN=shop.test", store.Select("SHOP.test")!.Subject);
        Assert.Equal("CN=*.apps.test", store.Select("api.apps.test")!.Subject);
        Assert.Equal("CN=gateway.test", store.Select("deep.api.apps.test")!.Subject);
        Assert.Equal("CN=gateway.test", store.Select("unknown.test")!.Subject);
        Assert.Equal("CN=gateway.test", store.Select(null)!.Subject);
        Assert.Equal(["Default", "*.apps.test", "shop.test"], store.Current.Select(c => c.Source.Name));
    }

    [Fact]
    public void Without_a_default_an_unknown_name_gets_no_certificate()
    {
        var shop = Pem("shop", ["shop.test"]);
        var store = Store(new() { ["Proxy:Tls:Hosts:shop.test:Path"] = shop.Cert, ["Proxy:Tls:Hosts:shop.test:KeyPath"] = shop.Key });

        Assert.NotNull(store.Select("shop.test"));
        Assert.Null(store.Select("other.test"));
    }

    [Fact]
    public void A_pfx_with_its_password_loads_and_a_wrong_password_is_refused_naming_the_setting()
    {
        var path = Path.Combine(_directory, "server.pfx");
        TestCertificates.WritePfx(TestCertificates.Create(["pfx.test"]), path, "secret");

        Assert.Equal("CN=pfx.test", Store(new() { ["Kestrel:Certificates:Default:Path"] = path, ["Kestrel:Certificates:Default:Password"] = "secret" }).Select(null)!.Subject);
        var error = Assert.Throws<CertificateLoadException>(() => Store(new() { ["Kestrel:Certificates:Default:Path"] = path, ["Kestrel:Certificates:Default:Password"] = "wrong" }));
        Assert.StartsWith("Kestrel:Certificates:Default: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Password is wrong", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_certificate_is_refused_at_start()
    {
        var files = Pem("short", ["short.test"], TimeSpan.FromDays(2));
        _time.Advance(TimeSpan.FromDays(3));

        var error = Assert.Throws<CertificateLoadException>(() => Store(new() { ["Kestrel:Certificates:Default:Path"] = files.Cert, ["Kestrel:Certificates:Default:KeyPath"] = files.Key }));
        Assert.Contains("expired on", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_pattern_that_is_not_a_name_is_refused()
    {
        var files = Pem("x", ["x.test"]);
        var error = Assert.Throws<CertificateLoadException>(() => Store(new() { ["Proxy:Tls:Hosts:a.*.test:Path"] = files.Cert, ["Proxy:Tls:Hosts:a.*.test:KeyPath"] = files.Key }));
        Assert.StartsWith("Proxy:Tls:Hosts:a.*.test: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_renewed_file_replaces_the_certificate_and_an_unchanged_one_does_not()
    {
        var files = Pem("renew", ["renew.test"]);
        var store = Store(new() { ["Kestrel:Certificates:Default:Path"] = files.Cert, ["Kestrel:Certificates:Default:KeyPath"] = files.Key });
        var before = store.Select(null)!.SerialNumber;
        Assert.Equal(0, store.Refresh());

        TestCertificates.WritePem(TestCertificates.Create(["renew.test"]), files.Cert, files.Key);

        Assert.Equal(1, store.Refresh());
        Assert.NotEqual(before, store.Select(null)!.SerialNumber);
        Assert.Equal(1, store.Renewals);
        Assert.Equal(0, store.Refusals);
    }

    [Fact]
    public void A_bad_renewal_is_refused_counted_once_and_the_certificate_in_force_stays()
    {
        var files = Pem("bad", ["bad.test"]);
        var store = Store(new() { ["Kestrel:Certificates:Default:Path"] = files.Cert, ["Kestrel:Certificates:Default:KeyPath"] = files.Key });
        var before = store.Select(null)!.SerialNumber;

        // Only the certificate renewed so far: the old key does not match it.
        TestCertificates.Replace(files.Cert, TestCertificates.Create(["bad.test"]).ExportCertificatePem());
        Assert.Equal(0, store.Refresh());
        Assert.Equal(0, store.Refresh());
        Assert.Equal(before, store.Select(null)!.SerialNumber);
        Assert.Equal(1, store.Refusals);

        // An expired renewal is refused too.
        TestCertificates.WritePem(TestCertificates.Create(["bad.test"], TimeSpan.FromMinutes(30)), files.Cert, files.Key);
        Assert.Equal(0, store.Refresh());
        Assert.Equal(2, store.Refusals);

        // A deleted file (a swap in progress) is refused once, then the complete renewal applies.
        File.Delete(files.Key);
        Assert.Equal(0, store.Refresh());
        Assert.Equal(0, store.Refresh());
        Assert.Equal(3, store.Refusals);
        TestCertificates.WritePem(TestCertificates.Create(["bad.test"]), files.Cert, files.Key);
        Assert.Equal(1, store.Refresh());
        Assert.NotEqual(before, store.Select(null)!.SerialNumber);
    }

    private (string Cert, string Key) Pem(string name, string[] dnsNames, TimeSpan? validFor = null)
    {
        var files = (Path.Combine(_directory, name + ".crt"), Path.Combine(_directory, name + ".key"));
        TestCertificates.WritePem(TestCertificates.Create(dnsNames, validFor, _time.GetUtcNow()), files.Item1, files.Item2);
        return files;
    }

    private ServerCertificateStore Store(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _time, NullLogger<ServerCertificateStore>.Instance);
}
