using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Proxy.Traffic.Health;

/// <summary>Classifies a forwarded request for the breaker: what the upstream did, not what the client did.</summary>
internal static class ForwardingOutcome
{
    /// <summary>The upstream could not be reached or broke the exchange.</summary>
    public const int TransportFailure = -1;

    /// <summary>The client went away; says nothing about the upstream.</summary>
    public const int ClientAborted = 0;

    public static int Classify(HttpContext context)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is { } error)
        {
            return error.Error switch
            {
                ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
                    or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient
                    or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient
                    or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient => ClientAborted,
                _ => TransportFailure,
            };
        }

        return GrpcOutcome.Adjust(context, context.Response.StatusCode);
    }

    /// <summary>True for outcomes the breaker counts as failures: transport errors, timeouts and 5xx answers.</summary>
    public static bool IsFailure(int outcome) => outcome == TransportFailure || outcome >= 500;

    /// <summary>
    /// True when the upstream refused or dropped the connection before answering anything, so the request can be
    /// sent again elsewhere (if it is also idempotent and has no body).
    /// </summary>
    public static bool FailedBeforeResponse(HttpContext context) =>
        !context.Response.HasStarted && context.Features.Get<IForwarderErrorFeature>()?.Error == ForwarderError.Request;
}
