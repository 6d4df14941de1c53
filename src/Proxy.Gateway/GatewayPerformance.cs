using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration.Memory;

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
    }
}
