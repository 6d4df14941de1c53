using System.Globalization;
using System.Net;

namespace Proxy.DemoBackend.Hosting;

/// <summary>What the demo upstream executable runs: from <c>--version/--port/--host/--instance</c> or <c>DEMO_VERSION/DEMO_PORT/DEMO_HOST/DEMO_INSTANCE</c>.</summary>
public sealed record DemoUpstreamOptions(string Version, int Port, string Host, string? Instance)
{
    /// <summary>Reads and checks the options; throws an <see cref="ArgumentException"/> listing every invalid value.</summary>
    public static DemoUpstreamOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();

        var version = configuration["version"] is { Length: > 0 } v ? v : "blue";
        if (string.IsNullOrWhiteSpace(version))
        {
            errors.Add("version must not be blank.");
        }

        var port = 0;
        if (configuration["port"] is { Length: > 0 } portText
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > IPEndPoint.MaxPort))
        {
            errors.Add($"port '{portText}' must be a number from 0 to {IPEndPoint.MaxPort}.");
        }

        var host = configuration["host"] is { Length: > 0 } h ? h : "127.0.0.1";
        try
        {
            ListenAddress.Parse(host);
        }
        catch (ArgumentException)
        {
            errors.Add($"host '{host}' must be an IP address, 'localhost' or '*'.");
        }

        return errors.Count == 0
            ? new DemoUpstreamOptions(version, port, host, configuration["instance"])
            : throw new ArgumentException("Invalid demo upstream options: " + string.Join(" ", errors));
    }
}
