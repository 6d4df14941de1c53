using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Admin.Validation;
using Proxy.Traffic.Mirroring;
using Yarp.ReverseProxy;

namespace Proxy.Traffic.Admin.Api;

/// <summary>
/// A route's mirror (dark launch): read its settings and comparison, set or turn it off at runtime. Changes are
/// validated first, committed with an audit entry naming the key, and in force before the answer.
/// </summary>
public static partial class MirrorApi
{
    /// <summary>Maps <c>GET|PUT|DELETE /api/routes/{id}/mirror</c> and <c>GET /api/routes/{id}/mirror/history</c>.</summary>
    public static IEndpointRouteBuilder MapMirrorApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/routes/{id}/mirror").WithTags("Mirror").AddEndpointFilter(RequireKnownRoute);
        api.MapGet("/", GetMirror).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetRouteMirror").WithSummary("The route's mirror and how its answers compare with the primary's.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/history", GetHistory).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetRouteMirrorHistory").WithSummary("The route's mirror audit trail, newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPut("/", SetMirror).RequireAuthorization(AdminAuthorization.WritePolicy).ValidateBody<SetMirrorRequest>(required: true)
            .WithName("SetRouteMirror").WithSummary("Mirrors a share of the route's requests to a cluster (over the file's mirror).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapDelete("/", RemoveMirror).RequireAuthorization(AdminAuthorization.WritePolicy).ValidateBody<ReasonRequest>(required: false)
            .WithName("RemoveRouteMirror").WithSummary("Stops mirroring the route (also over the file's mirror).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapMirrorDiffsApi();
        return endpoints;
    }

    public static Ok<MirrorResponse> GetMirror(string id, MirrorStore store) => TypedResults.Ok(MirrorResponse.From(id, store));

    public static async Task<Ok<MirrorChangeResponse[]>> GetHistory(string id, MirrorStore store, CancellationToken cancellationToken)
    {
        var history = await store.GetHistoryAsync(id, AdminHistory.DefaultLimit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(history.Select(MirrorChangeResponse.From).ToArray());
    }

    public static Task<Results<Ok<MirrorResponse>, ProblemHttpResult>> SetMirror(string id, JsonBody<SetMirrorRequest> body, HttpContext context, MirrorStore store, CancellationToken cancellationToken)
    {
        var request = body.Value!;
        var settings = MirrorSettings.Create(
            request.Cluster!, request.Percentage!.Value, request.Methods, request.MaxBodyBytes, request.MaxConcurrency, request.Timeout, MirrorDiffRequest.ToSettings(request.Diff));
        return ChangeAsync(context, id, settings, request.Reason, store, cancellationToken);
    }

    public static Task<Results<Ok<MirrorResponse>, ProblemHttpResult>> RemoveMirror(string id, JsonBody<ReasonRequest> body, HttpContext context, MirrorStore store, CancellationToken cancellationToken) =>
        ChangeAsync(context, id, null, body.Value?.Reason, store, cancellationToken);

    private static async Task<Results<Ok<MirrorResponse>, ProblemHttpResult>> ChangeAsync(
        HttpContext context, string routeId, MirrorSettings? settings, string? reason, MirrorStore store, CancellationToken cancellationToken)
    {
        var actor = context.User.Identity?.Name ?? "unknown";
        var change = await store.SetAsync(routeId, settings, actor, reason, cancellationToken).ConfigureAwait(false);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MirrorApi));
        LogChange(logger, routeId, change.Action, actor, settings);
        return TypedResults.Ok(MirrorResponse.From(routeId, store));
    }

    // Any YARP route can be mirrored, split or not; a name YARP does not know is refused before anything else.
    private static async ValueTask<object?> RequireKnownRoute(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var routeId = context.HttpContext.Request.RouteValues["id"] as string ?? "";
        return context.HttpContext.RequestServices.GetRequiredService<IProxyStateLookup>().TryGetRoute(routeId, out _)
            ? await next(context).ConfigureAwait(false)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Route not found", detail: $"Route '{routeId}' is not defined under ReverseProxy:Routes.");
    }

    [LoggerMessage(EventId = EventIds.MirrorChanged, Level = LogLevel.Information, Message = "Route {RouteId}: {Action} by {Actor}, mirror now {Mirror} (null: off)")]
    private static partial void LogChange(ILogger logger, string routeId, string action, string actor, MirrorSettings? mirror);
}
