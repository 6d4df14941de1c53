using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration.Memory;
using Proxy.Traffic.Admin.Listener;

namespace Proxy.Gateway;

/// <summary>
/// The per-request savings the gateway ships with, each measured by <c>bench/run.sh</c> against plain YARP and
/// switchable under <c>Proxy:Performance</c> (see docs/benchmarks.md for the figures and trade-offs).
/// </summary>
internal static class GatewayPerformance
{
    /// <summary>The configuration section holding the switches.</summary>
    public const string SectionName = "Proxy:Performance";

    /// <summary>Applies the enabled settings; call it before anything opens a socket.</summary>
    public static void Apply(WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(SectionName).Get<Settings>() ?? new Settings();

        if (settings.InlineSocketCompletions
            && Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            // Read once by the runtime's socket engine when the first socket is used; an operator's own value wins.
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }

        if (settings.InlineScheduling)
        {
            // The proxy path never blocks, so running it on the I/O thread saves a thread-pool hop per read and write.
            builder.Services.Configure<SocketTransportOptions>(sockets => sockets.UnsafePreferInlineScheduling = true);
        }

        if (settings.QuietHostingDiagnostics)
        {
            // With this category enabled at any level ASP.NET Core starts an Activity and a log scope for every request
            // (and YARP then sends a traceparent upstream) although nothing reads them. The category carries request
            // start/finish (Information/Debug, below our level anyway) and start-up failures, which Program reports
            // itself; unhandled request errors are logged under Kestrel's category. A tracer (OpenTelemetry) still
            // gets its activities: they are created for its listener, not for this logger.
            // Inserted first so that any configuration source can turn it back on.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None" },
            });
        }
    }

    /// <summary>
    /// With <see cref="Settings.ScopedAuthentication"/> on, runs authentication and authorization only for requests that
    /// can need them (the admin listener's, and an endpoint with authorization metadata such as a YARP route's
    /// <c>AuthorizationPolicy</c>) instead of on every proxied request; call it first on the built application.
    /// </summary>
    public static void UseScopedAuthentication(WebApplication app)
    {
        var settings = app.Configuration.GetSection(SectionName).Get<Settings>() ?? new Settings();
        if (!settings.ScopedAuthentication)
        {
            return;
        }

        // WebApplication adds both middlewares to every request unless these markers say the app placed them itself
        // (the keys UseAuthentication/UseAuthorization set; a branch's copy of them does not reach the app).
        var properties = ((IApplicationBuilder)app).Properties;
        properties["__AuthenticationMiddlewareSet"] = true;
        properties["__AuthorizationMiddlewareSet"] = true;
        app.UseWhen(NeedsAuthorization, branch => branch.UseAuthentication().UseAuthorization());
    }

    // No default scheme is set, so on any other endpoint both middlewares only look for metadata and pass on.
    private static bool NeedsAuthorization(HttpContext context)
    {
        if (AdminListenerFeature.IsAdminRequest(context))
        {
            return true;
        }

        var metadata = context.GetEndpoint()?.Metadata;
        return metadata is not null
            && (metadata.GetMetadata<IAuthorizeData>() is not null
                || metadata.GetMetadata<AuthorizationPolicy>() is not null
                || metadata.GetMetadata<IAuthorizationRequirementData>() is not null);
    }

    private const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>The switches; each defaults to what the benchmark proved.</summary>
    /// <remarks>
    /// The two inline switches save ~10 % CPU per request but raised p99 to ~1.6 × plain YARP's in the same runs
    /// (docs/benchmarks.md), so they are opt-in for CPU-bound hosts that accept a longer tail.
    /// </remarks>
    internal sealed class Settings
    {
        /// <summary>Complete socket operations on the epoll thread instead of queueing them to the thread pool.</summary>
        public bool InlineSocketCompletions { get; set; }

        /// <summary>Kestrel runs request continuations inline on the transport thread.</summary>
        public bool InlineScheduling { get; set; }

        /// <summary>No per-request hosting Activity and log scope when no one listens.</summary>
        public bool QuietHostingDiagnostics { get; set; } = true;

        /// <summary>Authentication and authorization only where an endpoint can need them (admin API, routes with a policy).</summary>
        public bool ScopedAuthentication { get; set; } = true;
    }
}
