using Microsoft.Extensions.Logging.Console;

namespace Proxy.DemoBackend.Hosting;

/// <summary>Sets up a generic host that runs a single demo upstream, configured from the command line and <c>DEMO_*</c> variables.</summary>
public static class DemoUpstreamHostingExtensions
{
    /// <summary>Reads <c>DEMO_VERSION/DEMO_PORT/DEMO_HOST/DEMO_INSTANCE</c>, then <c>--version/--port/--host/--instance</c> (which win), logs Microsoft.* at Warning only, and runs the upstream.</summary>
    /// <remarks>Throws an <see cref="ArgumentException"/> naming every invalid option, before anything starts.</remarks>
    public static HostApplicationBuilder AddDemoUpstream(this HostApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddEnvironmentVariables("DEMO_").AddCommandLine(args);

        // Quiet by default: the upstream sits under load in benchmarks.
        builder.Logging.ClearProviders()
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
                console.ColorBehavior = LoggerColorBehavior.Disabled;
            })
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning);

        builder.Services.AddSingleton(DemoUpstreamOptions.FromConfiguration(builder.Configuration));
        builder.Services.AddHostedService<DemoUpstreamHostedService>();
        return builder;
    }
}
