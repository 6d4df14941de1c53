using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Proxy.Traffic.Health;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.Telemetry;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Mirroring;

/// <summary>
/// The mirror step of YARP's proxy pipeline: for a sampled share of a mirrored route's requests, sends a copy to the
/// mirror cluster once the request has been read, and compares the copy's answer with the primary's. The primary
/// never waits for the mirror: the copy takes a slot without blocking (or is dropped), its body is kept only up to a
/// limit while the primary streams, and it runs on its own with its own timeout.
/// </summary>
public sealed class TrafficMirrorMiddleware(RequestDelegate next, MirrorStore store, MirrorSender sender, MirrorMetrics metrics, RandomBucketSource random)
{
    private static readonly object MirroredKey = new();

    public Task InvokeAsync(HttpContext context)
    {
        var routeId = context.GetReverseProxyFeature().Route.Config.RouteId;
        if (!store.TryGet(routeId, out var route)
            || !route.Settings.Allows(context.Request.Method)
            || random.Next() >= route.Settings.BasisPoints
            || context.Items.ContainsKey(MirroredKey))
        {
            return next(context);
        }

        // The split step may run the rest of the pipeline twice (failover): one copy per request.
        context.Items[MirroredKey] = null;
        var settings = route.Settings;
        if (!route.Comparison.TryEnter(settings.MaxConcurrency))
        {
            route.Comparison.RecordDrop(MirrorDropReason.Concurrency);
            metrics.RecordDrop(route, MirrorDropReason.Concurrency);
            return next(context);
        }

        var exchange = new MirrorExchange(route, metrics);
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
        if (hasBody && context.Request.ContentLength > settings.MaxBodyBytes)
        {
            exchange.Dropped(MirrorDropReason.BodyTooLarge);
            return next(context);
        }

        return MirrorAsync(context, exchange, hasBody);
    }

    private async Task MirrorAsync(HttpContext context, MirrorExchange exchange, bool hasBody)
    {
        var started = Stopwatch.GetTimestamp();
        var copy = MirrorRequest.Capture(context);
        var request = context.Request;
        var body = request.Body;
        MirrorBodyCapture? capture = null;
        if (hasBody)
        {
            // The copy leaves when the primary has read the body's end (the context is still alive then).
            capture = new MirrorBodyCapture(body, exchange.Route.Settings.MaxBodyBytes, bytes => sender.Start(context, exchange, copy, bytes));
            request.Body = capture;
        }
        else
        {
            sender.Start(context, exchange, copy, ReadOnlyMemory<byte>.Empty);
        }

        // The primary's outcome is the one the client gets: after the split step's failover, if any, and the whole answer.
        context.Response.OnCompleted(
            static state =>
            {
                var (exchange, context, started) = ((MirrorExchange, HttpContext, long))state;
                // Classify reads a gRPC answer's grpc-status too, so both sides of the comparison are judged alike.
                var outcome = ForwardingOutcome.Classify(context);
                exchange.PrimaryCompleted(outcome > 0 ? outcome : context.Response.StatusCode, Stopwatch.GetElapsedTime(started), ForwardingOutcome.IsUpstreamVerdict(outcome));
                return Task.CompletedTask;
            },
            (exchange, context, started));

        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            if (capture is not null)
            {
                request.Body = body;
                if (!capture.Completed)
                {
                    exchange.Dropped(capture.Overflowed ? MirrorDropReason.BodyTooLarge : MirrorDropReason.BodyIncomplete);
                }
            }
        }
    }
}
