using Proxy.DemoBackend;
using Proxy.Traffic.Splitting;

namespace Proxy.Gateway;

/// <summary>The three demo upstreams (blue, green, canary) that <c>--demo</c> runs inside the gateway process.</summary>
public sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly DemoUpstreamServer[] _upstreams;

    private DemoEnvironment(DemoUpstreamServer[] upstreams) => _upstreams = upstreams;

    /// <summary>Starts blue on 5101, green on 5102 and canary on 5103.</summary>
    public static async Task<DemoEnvironment> StartAsync()
    {
        DemoUpstreamServer[] upstreams = [new("blue", 5101), new("green", 5102), new("canary", 5103)];
        foreach (var upstream in upstreams)
        {
            await upstream.StartAsync();
        }

        return new DemoEnvironment(upstreams);
    }

    /// <summary>Prints what the demo started: upstreams, listeners, each route's split and the admin API key.</summary>
    public static void PrintSummary(WebApplication app, TextWriter output)
    {
        var listeners = app.Services.GetRequiredService<GatewayListeners>();
        var key = app.Services.GetService<DemoAdminKey>()?.Key;
        var admin = listeners.AdminAddresses is [var first, ..] ? first.ToString().TrimEnd('/') : "http://127.0.0.1:8081";
        output.WriteLine("Proxy demo is running.");
        output.WriteLine("  upstreams: blue http://127.0.0.1:5101, green http://127.0.0.1:5102, canary http://127.0.0.1:5103");
        output.WriteLine($"  proxy:     {string.Join(", ", listeners.ProxyAddresses)}");
        output.WriteLine($"  admin API: {string.Join(", ", listeners.AdminAddresses)}  (key, role Operator: {key})");
        foreach (var split in app.Services.GetRequiredService<SplitStore>().GetAll())
        {
            output.WriteLine($"  route {split.RouteId} (revision {split.Revision}): {split}");
        }

        var proxy = listeners.ProxyAddresses is [var proxyAddress, ..] ? proxyAddress.ToString() : "http://127.0.0.1:8080/";
        output.WriteLine($"  try:       curl -s {proxy}   and   curl -s -H 'X-Variant: green' {proxy}");
        output.WriteLine($"             curl -s -H 'Authorization: Bearer {key}' {admin}/api/routes/demo");
        output.WriteLine($"             curl -s -X POST -H 'Authorization: Bearer {key}' {admin}/api/routes/demo/rollback");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var upstream in _upstreams)
        {
            await upstream.DisposeAsync();
        }
    }
}
