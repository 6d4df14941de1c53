using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Health;

/// <summary>
/// The one place that decides what a forwarded request says about its cluster: the upstream's answer, the upstream's
/// failure, the client's doing, or the gateway's own refusal. Only the first two may feed a breaker, a rollout window
/// or a mirror comparison. An outcome is an <see cref="int"/> (a status code, or one of the negative constants) so that
/// it passes through the breaker's Polly pipeline without allocation.
/// </summary>
/// <remarks>
/// Every <see cref="ForwarderError"/> of YARP 2.3.0 is decided explicitly in <see cref="Classify(ForwarderError, Exception?)"/>;
/// docs/health.md lists the decisions. A later classifier (gRPC status) adds its cases to <see cref="Classify(HttpContext)"/>.
/// </remarks>
internal static class ForwardingOutcome
{
    /// <summary>The upstream could not be reached, timed out or broke the exchange.</summary>
    public const int TransportFailure = -1;

    /// <summary>The client went away or sent a broken body; says nothing about the upstream.</summary>
    public const int ClientAborted = 0;

    /// <summary>The gateway (or YARP) refused or ended the request on its own; nothing about the upstream.</summary>
    public const int GatewayRefused = -2;

    /// <summary>The cluster had no available destination, so nothing was sent: the request may go to another cluster.</summary>
    public const int NoDestination = -3;

    /// <summary>
    /// The outcome of the attempt that just ran: the error YARP reported; else, when no destination was ever chosen, the
    /// gateway's own answer (session affinity's <c>Return503Error</c> for a cookie it cannot read, a step that answered
    /// itself); else the upstream's status code.
    /// </summary>
    public static int Classify(HttpContext context) =>
        context.Features.Get<IForwarderErrorFeature>() is { } error ? Classify(error.Error, error.Exception)
        : context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is null ? GatewayRefused
        : GrpcOutcome.Adjust(context, context.Response.StatusCode);

    /// <summary>The outcome of a forwarder error, decided per value (see docs/health.md, "What counts against a cluster").</summary>
    public static int Classify(ForwarderError error, Exception? exception) => error switch
    {
        // Connecting, sending the headers or reading the response headers failed. SocketsHttpHandler reports what the
        // network or the upstream did as HttpRequestException; anything else was thrown before a byte left the gateway
        // (the handler refused the request message), so it says nothing about the upstream.
        ForwarderError.Request => exception is HttpRequestException ? TransportFailure : GatewayRefused,

        // No response headers within the activity timeout (or the connect timeout).
        ForwarderError.RequestTimedOut => TransportFailure,

        // The upstream broke the exchange: writing the body to it, reading its answer, or an answer that cannot be
        // proxied back (invalid headers, a wrong Sec-WebSocket-Accept).
        ForwarderError.RequestBodyDestination or ForwarderError.ResponseHeaders or ForwarderError.ResponseBodyDestination
            or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination => TransportFailure,

        // The client went away, or its side of a body or an upgraded stream failed.
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
            or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient
            or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient => ClientAborted,

        // YARP could not build the outgoing request (CONNECT, an upgrade the cluster's version policy forbids, a
        // transform that threw): nothing was sent. An idle upgraded connection closed by the gateway's own activity
        // timeout is the gateway's decision too.
        ForwarderError.RequestCreation or ForwarderError.UpgradeActivityTimeout => GatewayRefused,

        // YARP's health had no destination left for the cluster: nothing was sent.
        ForwarderError.NoAvailableDestinations => NoDestination,

        // None (not reported as an error) and values a later YARP adds: the conservative reading is the upstream's.
        _ => TransportFailure,
    };

    /// <summary>True for outcomes the breaker counts as failures: transport errors, timeouts and 5xx answers.</summary>
    public static bool IsFailure(int outcome) => outcome == TransportFailure || outcome >= 500;

    /// <summary>True when the outcome is what the upstream did (an answer or a failure), so windows and comparisons may count it.</summary>
    public static bool IsUpstreamVerdict(int outcome) => outcome == TransportFailure || outcome > ClientAborted;

    /// <summary>
    /// True when the upstream refused or dropped the connection before answering anything, so the request can be
    /// sent again elsewhere (if it is also idempotent and has no body).
    /// </summary>
    public static bool FailedBeforeResponse(HttpContext context, int outcome) =>
        outcome == TransportFailure && !context.Response.HasStarted && context.Features.Get<IForwarderErrorFeature>()?.Error == ForwarderError.Request;

    /// <summary>The metric tag value of an outcome (<c>proxy.outcome</c>).</summary>
    public static string Name(int outcome) => outcome switch
    {
        TransportFailure => "upstream_failure",
        ClientAborted => "client_aborted",
        GatewayRefused => "refused",
        NoDestination => "no_destination",
        >= 500 => "upstream_error",
        _ => "answered",
    };
}
