using Proxy.DemoBackend;
using Proxy.Traffic.Splitting;

namespace Proxy.Gateway;

/// <summary>The three demo upstreams (blue, green, canary) that <c>--demo</c> runs inside the gateway process.</summary>
public sealed class DemoEnvironment : IAsyncDisposable
{
    /// <summary>Where <c>--https</c> adds a TLS proxy listener.</summary>
    public const string HttpsUrl = "https://127.0.0.1:8443";

    private readonly DemoUpstreamServer[] _upstreams;
    private readonly (string Certificate, string Key)? _tls;

    private DemoEnvironment(DemoUpstreamServer[] upstreams, (string Certificate, string Key)? tls)
    {
        _upstreams = upstreams;
        _tls = tls;
    }

    /// <summary>
    /// Starts blue on 5101, green on 5102 and canary on 5103 (their gRPC h2c listeners on 5111-5113); with
    /// <paramref name="https"/>, makes a self-signed certificate in the data folder for a TLS listener on <see cref="HttpsUrl"/>.
    /// </summary>
    public static async Task<DemoEnvironment> StartAsync(bool https = false)
    {
        var tls = https ? DemoCertificate.Ensure(Path.GetFullPath("data"), TimeProvider.System) : ((string, string)?)null;
        DemoUpstreamServer[] upstreams =
        [
            new("blue", 5101) { GrpcPort = 5111 },
            new("green", 5102) { GrpcPort = 5112 },
            new("canary", 5103) { GrpcPort = 5113 },
        ];
        foreach (var upstream in upstreams)
        {
            await upstream.StartAsync();
        }

        return new DemoEnvironment(upstreams, tls);
    }

    /// <summary>Adds the demo's HTTPS listener and its certificate to the gateway's configuration (with <c>--https</c>).</summary>
    public void ConfigureGateway(WebApplicationBuilder builder)
    {
        if (_tls is not { } tls)
        {
            return;
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Proxy:Urls"] = $"{builder.Configuration["Proxy:Urls"] ?? GatewayApplication.DefaultProxyUrls};{HttpsUrl}",
            ["Kestrel:Certificates:Default:Path"] = tls.Certificate,
            ["Kestrel:Certificates:Default:KeyPath"] = tls.Key,
        });
    }

    /// <summary>Prints what the demo started: upstreams, listeners, each route's split and the admin API key.</summary>
    public static void PrintSummary(WebApplication app, TextWriter output)
    {
        var listeners = app.Services.GetRequiredService<GatewayListeners>();
        var key = app.Services.GetService<DemoAdminKey>()?.Key;
        var admin = listeners.AdminAddresses is [var first, ..] ? first.ToString().TrimEnd('/') : "http://127.0.0.1:8081";
        output.WriteLine("Proxy demo is running.");
        output.WriteLine("  upstreams: blue http://127.0.0.1:5101, green http://127.0.0.1:5102, canary http://127.0.0.1:5103 (gRPC h2c on 5111-5113)");
        output.WriteLine($"  proxy:     {string.Join(", ", listeners.ProxyAddresses)}");
        output.WriteLine($"  admin API: {string.Join(", ", listeners.AdminAddresses)}  (key, role Operator: {key})");
        output.WriteLine($"  console:   {admin}/  (log in with the key above; live events: {admin}/api/events)");
        foreach (var split in app.Services.GetRequiredService<SplitStore>().GetAll())
        {
            output.WriteLine($"  route {split.RouteId} (revision {split.Revision}): {split}");
        }

        var proxy = listeners.ProxyAddresses is [var proxyAddress, ..] ? proxyAddress.ToString() : "http://127.0.0.1:8080/";
        output.WriteLine($"  try:       curl -s {proxy}   and   curl -s -H 'X-Variant: green' {proxy}");
        output.WriteLine($"             curl -s -H 'Authorization: Bearer {key}' {admin}/api/routes/demo");
        output.WriteLine($"             curl -s -X POST -H 'Authorization: Bearer {key}' {admin}/api/routes/demo/rollback");
        var https = listeners.ProxyAddresses.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttps);
        output.WriteLine(https is null
            ? "  TLS:       start with --demo --https for an HTTPS listener (self-signed certificate, HTTP/2)"
            : $"  TLS:       curl -sk --http2 {https}   (self-signed certificate in data/demo-tls.crt)");
        if (listeners.H2cAddresses is [var h2c, ..])
        {
            output.WriteLine($"  gRPC:      h2c on {h2c}, route demo-grpc: grpcurl -plaintext -proto src/Proxy.DemoBackend/Grpc/demo.proto {h2c.Authority} proxy.demo.DemoService/GetVersion");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var upstream in _upstreams)
        {
            await upstream.DisposeAsync();
        }
    }
}
