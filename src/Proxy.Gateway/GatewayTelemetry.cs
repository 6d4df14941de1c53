using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Proxy.Traffic.Telemetry;

namespace Proxy.Gateway;

/// <summary>OpenTelemetry for the gateway: traces and metrics of ASP.NET Core, HttpClient, YARP, Polly, the runtime and our own sources.</summary>
public static class GatewayTelemetry
{
    /// <summary>Default <c>service.name</c> (override with <c>Telemetry:ServiceName</c> or <c>OTEL_SERVICE_NAME</c>).</summary>
    public const string DefaultServiceName = "proxy-gateway";

    /// <summary>
    /// Adds metrics (Prometheus exporter always; OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set) and tracing when
    /// something will receive the spans: an OTLP endpoint, or <c>Telemetry:Tracing=true</c> for an exporter added in code.
    /// Without a receiver no per-request span is recorded at all.
    /// </summary>
    public static void AddGatewayTelemetry(this WebApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["Telemetry:ServiceName"] ?? DefaultServiceName;
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddRuntimeInstrumentation()
                    .AddMeter("Polly")
                    .AddMeter(TrafficTelemetry.MeterName)
                    .AddPrometheusExporter();

                // Per-request server and client histograms that proxy.requests / proxy.request.duration already cover for
                // split routes; they cost CPU on every request (docs/benchmarks.md), so they are opt-in.
                if (builder.Configuration.GetValue<bool>("Telemetry:HostMetrics"))
                {
                    metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                }
            });

        if (otlp || builder.Configuration.GetValue<bool>("Telemetry:Tracing"))
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource("Yarp.ReverseProxy")
                .AddSource(TrafficTelemetry.ActivitySourceName));
        }

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }
    }
}
