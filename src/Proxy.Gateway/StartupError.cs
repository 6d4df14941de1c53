using Microsoft.Extensions.Options;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Tls;

namespace Proxy.Gateway;

/// <summary>Turns the exceptions of a refused start-up into the readable list an operator needs.</summary>
public static class StartupError
{
    /// <summary>A readable description of a configuration error, or null for an unexpected failure (which keeps its stack trace).</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        TrafficSplitConfigurationException split => split.Message,
        CertificateLoadException or ListenerConfigurationException => $"Cannot start the listeners: {exception.Message}",
        GatewayCommandLineException commandLine => commandLine.Message,
        OptionsValidationException options => "Invalid configuration:" + Environment.NewLine + Bullets(options.Failures),
        AggregateException { InnerExceptions: var inner } when inner.All(e => e is OptionsValidationException) =>
            "Invalid configuration:" + Environment.NewLine + Bullets(inner.SelectMany(e => ((OptionsValidationException)e).Failures)),
        InvalidDataException or FileNotFoundException => $"Invalid configuration file: {exception.Message}",
        Microsoft.Data.Sqlite.SqliteException or UnauthorizedAccessException =>
            $"Cannot use the state store (State:Sqlite:Path): {exception.Message}",
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } =>
            $"Cannot listen: {exception.Message} Stop what uses that port or change the address in Proxy:Urls, Proxy:H2cUrls or Admin:Urls.",
        InvalidOperationException { InnerException: AggregateException inner } when exception.Message.Contains("proxy configuration", StringComparison.OrdinalIgnoreCase) =>
            "Invalid ReverseProxy configuration:" + Environment.NewLine
            + Bullets(inner.InnerExceptions.Select(e => e.Message)),
        _ => null,
    };

    private static string Bullets(IEnumerable<string> lines) => string.Join(Environment.NewLine, lines.Select(line => "  - " + line));
}
