using Proxy.Traffic.Configuration;

namespace Proxy.Gateway;

/// <summary>Turns the exceptions of a refused start-up into the readable list an operator needs.</summary>
public static class StartupError
{
    /// <summary>A readable description of a configuration error, or null for an unexpected failure (which keeps its stack trace).</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        TrafficSplitConfigurationException split => split.Message,
        InvalidDataException or FileNotFoundException => $"Invalid configuration file: {exception.Message}",
        IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException } =>
            $"Cannot listen: {exception.Message} Stop what uses that port or change the address in configuration.",
        InvalidOperationException { InnerException: AggregateException inner } when exception.Message.Contains("proxy configuration", StringComparison.OrdinalIgnoreCase) =>
            "Invalid ReverseProxy configuration:" + Environment.NewLine
            + string.Join(Environment.NewLine, inner.InnerExceptions.Select(e => "  - " + e.Message)),
        _ => null,
    };
}
