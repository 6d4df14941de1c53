using Microsoft.Extensions.Configuration.Memory;
using Proxy.Traffic;
using Proxy.Traffic.Admin;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Listener;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Experiments;
using Proxy.Traffic.Mirroring;
using Proxy.Traffic.Tls;
using Proxy.Traffic.WebConsole;

namespace Proxy.Gateway;

/// <summary>Composes the gateway: configuration sources, Kestrel listeners (proxy and admin), YARP with the split step, the admin API.</summary>
public static class GatewayApplication
{
    /// <summary>Where the proxy listens when <c>Proxy:Urls</c> is not set.</summary>
    public const string DefaultProxyUrls = "http://127.0.0.1:8080";

    /// <summary>Builds the gateway for a parsed command line; <paramref name="configure"/> can add configuration and services first (tests).</summary>
    public static WebApplication Build(GatewayCommandLine commandLine, Action<WebApplicationBuilder>? configure = null)
    {
        if (commandLine.Problem is { } problem)
        {
            throw new GatewayCommandLineException(problem);
        }

        // The admin API's scheme would otherwise become the default one (it is the only scheme), and the authentication
        // middleware would run it on every proxied request.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        var builder = WebApplication.CreateBuilder(commandLine.HostArgs);
        AddConfiguration(builder.Configuration, commandLine);
        configure?.Invoke(builder);
        GatewayPerformance.Apply(builder);

        var listeners = new GatewayListeners();
        builder.Services.AddSingleton(listeners);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // A proxy passes bodies through; per-route limits belong in YARP's route MaxRequestBodySize.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
            listeners.Configure(kestrel, builder.Configuration);
        });

        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        builder.Services.AddTrafficSplitting();
        builder.Services.AddTrafficAdmin();
        builder.Services.AddTrafficConsole();
        builder.Services.AddServerCertificates();
        builder.AddGatewayTelemetry();
        if (commandLine.Demo)
        {
            AddDemoKey(builder.Services, commandLine.AdminKey ?? ApiKeyHasher.NewKey());
        }


        var app = builder.Build();
        GatewayPerformance.UseScopedAuthentication(app);
        app.UseHttpsPolicy();
        app.MapTrafficAdmin();
        app.MapTrafficConsole();

        // Prometheus scrapes without a key, like the probes: the admin listener is on loopback unless you publish it.
        app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(AdminEndpointMetadata.Instance);
        app.MapReverseProxy(proxy =>
        {
            proxy.UseExperimentsAndFlags();
            proxy.UseTrafficSplit();
            proxy.UseTrafficMirror();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }

    private static void AddDemoKey(IServiceCollection services, string key)
    {
        services.AddSingleton(new DemoAdminKey(key));
        services.PostConfigure<AdminOptions>(admin => admin.ApiKeys.Add(new AdminApiKeyOptions
        {
            Name = DemoAdminKey.Name,
            Sha256 = ApiKeyHasher.Hash(key),
            Role = AdminRoles.Operator,
        }));
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

                // Program prints a refused start-up as one line; the host would log it again with a stack trace (Error).
                // A failing background service is still logged, at Critical, with its exception.
                ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Critical",
                // YARP's forwarder logs every failed request as a Warning with its stack trace; the split step's
                // UpstreamFailureLog writes one line per cluster and a summary instead (stack traces at Debug).
                ["Logging:LogLevel:Yarp.ReverseProxy.Forwarder.HttpForwarder"] = "Error",
            },
        });

        if (commandLine.ResolveConfigFile() is { } file)
        {
            // Not AddJsonFile: it empties the configuration when the file is briefly missing or half-written.
            configuration.AddLastGoodJsonFile(file);

            // Environment variables and command-line arguments still win over the file.
            configuration.AddEnvironmentVariables();
            configuration.AddCommandLine(commandLine.HostArgs);
        }
    }
}
