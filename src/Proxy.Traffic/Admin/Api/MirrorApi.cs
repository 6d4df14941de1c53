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
using Proxy.Traffic.Mirroring.Diffs;
using Yarp.ReverseProxy;

namespace Proxy.Traffic.Admin.Api;

/// <summary>
/// A route's mirror (dark launch): read its settings and comparison, set or turn it off at runtime. Changes are
/// validated first, committed with an audit entry naming the key, and in force before the answer. The revision of the
/// route's mirror setting is the ETag; a change with a stale <c>If-Match</c> answers 412.
/// </summary>
public static partial class MirrorApi
{
    /// <summary>Maps <c>GET|PUT|DELETE /api/routes/{id}/mirror</c> and <c>GET /api/routes/{id}/mirror/history</c>.</summary>
    public static IEndpointRouteBuilder MapMirrorApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/routes/{id}/mirror").WithTags("Mirror").AddEndpointFilter(RequireKnownRoute);
        api.MapGet("/", GetMirror).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetRouteMirror").WithSummary("The route's mirror and how its answers compare with the primary's; the revision of its runtime setting is the ETag.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/history", GetHistory).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetRouteMirrorHistory").WithSummary("The route's mirror audit trail, newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPut("/", SetMirror).RequireAuthorization(AdminAuthorization.WritePolicy).ValidateBody<SetMirrorRequest>(required: true)
            .WithName("SetRouteMirror").WithSummary("Mirrors a share of the route's requests to a cluster (over the file's mirror); If-Match honoured.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapDelete("/", RemoveMirror).RequireAuthorization(AdminAuthorization.WritePolicy).ValidateBody<ReasonRequest>(required: false)
            .WithName("RemoveRouteMirror").WithSummary("Stops mirroring the route (also over the file's mirror); If-Match honoured.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapMirrorDiffsApi();
        return endpoints;
    }

    public static Ok<MirrorResponse> GetMirror(string id, HttpResponse response, MirrorStore store)
    {
        response.Headers.ETag = RevisionETag.Format(store.GetRevision(id));
        return TypedResults.Ok(MirrorResponse.From(id, store));
    }

    public static async Task<Ok<MirrorChangeResponse[]>> GetHistory(string id, MirrorStore store, CancellationToken cancellationToken)
    {
        var history = await store.GetHistoryAsync(id, AdminHistory.DefaultLimit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(history.Select(MirrorChangeResponse.From).ToArray());
    }

    public static Task<Results<Ok<MirrorResponse>, ProblemHttpResult>> SetMirror(
        string id, JsonBody<SetMirrorRequest> body, HttpContext context, MirrorStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var request = body.Value!;
        var settings = MirrorSettings.Create(
            request.Cluster!, request.Percentage!.Value, request.Methods, request.MaxBodyBytes, request.MaxConcurrency, request.Timeout, MirrorDiffRequest.ToSettings(request.Diff));
        return ChangeAsync(context, id, settings, request.Reason, store, loggers, cancellationToken);
    }

    public static Task<Results<Ok<MirrorResponse>, ProblemHttpResult>> RemoveMirror(
        string id, JsonBody<ReasonRequest> body, HttpContext context, MirrorStore store, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ChangeAsync(context, id, null, body.Value?.Reason, store, loggers, cancellationToken);

    private static async Task<Results<Ok<MirrorResponse>, ProblemHttpResult>> ChangeAsync(
        HttpContext context, string routeId, MirrorSettings? settings, string? reason, MirrorStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!RevisionETag.TryReadIfMatch(context.Request, out var expected))
        {
            return AdminProblems.BadIfMatch(context.Request.Headers.IfMatch.ToString());
        }

        var actor = context.User.Identity?.Name ?? "unknown";
        var change = await store.TrySetAsync(routeId, settings, actor, reason, expected, cancellationToken).ConfigureAwait(false);
        context.Response.Headers.ETag = RevisionETag.Format(store.GetRevision(routeId));
        if (change is null)
        {
            return AdminProblems.StaleRevision(expected!.Value, store.GetRevision(routeId), "mirror");
        }

        var logger = loggers.CreateLogger(typeof(MirrorApi));
        LogChange(logger, routeId, change.Action, actor, change.Revision, settings);
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

    [LoggerMessage(EventId = EventIds.MirrorChanged, Level = LogLevel.Information, Message = "Route {RouteId}: {Action} by {Actor} (mirror revision {Revision}), mirror now {Mirror} (null: off)")]
    private static partial void LogChange(ILogger logger, string routeId, string action, string actor, long revision, MirrorSettings? mirror);
}
