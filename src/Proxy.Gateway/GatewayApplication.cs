using Microsoft.Extensions.Configuration.Memory;
using Proxy.Traffic;

namespace Proxy.Gateway;

/// <summary>Composes the gateway: configuration sources, Kestrel listeners, YARP with the split step.</summary>
public static class GatewayApplication
{
    /// <summary>Where the proxy listens when <c>Proxy:Urls</c> is not set.</summary>
    public const string DefaultProxyUrls = "http://127.0.0.1:8080";

    /// <summary>Builds the gateway for a parsed command line.</summary>
    public static WebApplication Build(GatewayCommandLine commandLine)
    {
        var builder = WebApplication.CreateBuilder(commandLine.HostArgs);
        AddConfiguration(builder.Configuration, commandLine);
        GatewayPerformance.Apply(builder);

        builder.WebHost.UseUrls((builder.Configuration["Proxy:Urls"] ?? DefaultProxyUrls).Split(';', StringSplitOptions.RemoveEmptyEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // A proxy passes bodies through; per-route limits belong in YARP's route MaxRequestBodySize.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });

        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        builder.Services.AddTrafficSplitting();

        var app = builder.Build();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseTrafficSplit();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }

    private static void AddConfiguration(ConfigurationManager configuration, GatewayCommandLine commandLine)
    {
        // Quiet defaults first, so that any file or variable can override them: YARP logs every request at Information.
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Yarp"] = "Warning",
            },
        });

        if (commandLine.ResolveConfigFile() is { } file)
        {
            configuration.AddJsonFile(file, optional: false, reloadOnChange: true);

            // Environment variables and command-line arguments still win over the file.
            configuration.AddEnvironmentVariables();
            configuration.AddCommandLine(commandLine.HostArgs);
        }
    }
}
