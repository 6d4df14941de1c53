using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Flags;

/// <summary>
/// The flag step of YARP's proxy pipeline: on a route that flags apply to, evaluates each of them once and passes the
/// variants upstream in <c>X-Proxy-Flags</c> (replacing any the client sent). Other routes pay one dictionary lookup.
/// </summary>
public sealed class FeatureFlagMiddleware(RequestDelegate next, FlagStore store)
{
    public Task InvokeAsync(HttpContext context)
    {
        var routeId = context.GetReverseProxyFeature().Route.Config.RouteId;
        if (store.Current.ForRoute(routeId) is { } flags)
        {
            context.Request.Headers[FlagHeader.Name] = FlagHeader.Build(flags, new RequestFlagContext(context.Request, routeId));
        }

        return next(context);
    }
}
