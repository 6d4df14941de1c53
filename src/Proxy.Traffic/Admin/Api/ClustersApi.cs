using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Admin.Validation;
using Proxy.Traffic.Health;
using Yarp.ReverseProxy;

namespace Proxy.Traffic.Admin.Api;

/// <summary>
/// Manual breaker control: isolate a cluster (it gets no traffic; its share goes to stable) until it is reset. Both are
/// committed to the state store (with an audit entry naming the key) before they take effect, so an isolation survives
/// restarts and, with a shared store, holds on every instance. Breaker state changes effective weights, not the split, so
/// these make no split revision: the cluster's isolation setting has revisions of its own (its ETag; If-Match honoured).
/// </summary>
public static partial class ClustersApi
{
    /// <summary>Maps <c>POST /api/clusters/{id}/isolate</c>, <c>POST /api/clusters/{id}/reset</c> and <c>GET /api/clusters/{id}/history</c>.</summary>
    public static IEndpointRouteBuilder MapClustersApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/clusters/{id}").WithTags("Clusters").AddEndpointFilter(RequireKnownCluster);
        api.MapGet("/history", GetHistory).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetClusterIsolationHistory").WithSummary("The cluster's isolate/reset audit trail, newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api = api.MapGroup("").RequireAuthorization(AdminAuthorization.WritePolicy);
        api.MapPost("/isolate", Isolate).ValidateBody<ReasonRequest>(required: false)
            .WithName("IsolateCluster").WithSummary("Takes the cluster out of rotation until reset, on every instance; its share goes to stable. If-Match honoured.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/reset", Reset).ValidateBody<ReasonRequest>(required: false)
            .WithName("ResetCluster").WithSummary("Closes the cluster's breaker and lifts a manual isolation, on every instance. If-Match honoured.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    public static async Task<Results<Ok<ClusterResponse>, ProblemHttpResult>> Isolate(
        string id, JsonBody<ReasonRequest> body, HttpContext context, ManualIsolationStore isolations, RouteStateProjection projection, ILoggerFactory loggers)
    {
        if (!RevisionETag.TryReadIfMatch(context.Request, out var expected))
        {
            return AdminProblems.BadIfMatch(context.Request.Headers.IfMatch.ToString());
        }

        var actor = context.User.Identity?.Name ?? "unknown";
        var isolation = await isolations.IsolateAsync(id, actor, body.Value?.Reason is { Length: > 0 } given ? given : null, context.RequestAborted, expected).ConfigureAwait(false);
        var revision = await SetETagAsync(context, id, isolations).ConfigureAwait(false);
        if (isolation is null)
        {
            return AdminProblems.StaleRevision(expected!.Value, revision, "cluster's isolation");
        }

        var logger = loggers.CreateLogger(typeof(ClustersApi));
        LogIsolated(logger, id, actor, isolation.Description);
        return TypedResults.Ok(projection.DescribeCluster(id));
    }

    public static async Task<Results<Ok<ClusterResponse>, ProblemHttpResult>> Reset(
        string id, JsonBody<ReasonRequest> body, HttpContext context, ManualIsolationStore isolations, RouteStateProjection projection, ILoggerFactory loggers)
    {
        if (!RevisionETag.TryReadIfMatch(context.Request, out var expected))
        {
            return AdminProblems.BadIfMatch(context.Request.Headers.IfMatch.ToString());
        }

        var actor = context.User.Identity?.Name ?? "unknown";
        var reset = await isolations.ResetAsync(id, actor, body.Value?.Reason, context.RequestAborted, expected).ConfigureAwait(false);
        var revision = await SetETagAsync(context, id, isolations).ConfigureAwait(false);
        if (!reset)
        {
            return AdminProblems.StaleRevision(expected!.Value, revision, "cluster's isolation");
        }

        var logger = loggers.CreateLogger(typeof(ClustersApi));
        LogReset(logger, id, actor, body.Value?.Reason);
        return TypedResults.Ok(projection.DescribeCluster(id));
    }

    public static async Task<Ok<IsolationChangeResponse[]>> GetHistory(string id, HttpContext context, ManualIsolationStore isolations, CancellationToken cancellationToken)
    {
        var history = await isolations.GetHistoryAsync(id, AdminHistory.DefaultLimit, cancellationToken).ConfigureAwait(false);
        await SetETagAsync(context, id, isolations).ConfigureAwait(false);
        return TypedResults.Ok(history.Select(IsolationChangeResponse.From).ToArray());
    }

    // The revision of the cluster's isolation setting is its ETag (0 when it was never isolated).
    private static async Task<long> SetETagAsync(HttpContext context, string clusterId, ManualIsolationStore isolations)
    {
        var revision = await isolations.GetRevisionAsync(clusterId, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.ETag = RevisionETag.Format(revision);
        return revision;
    }

    // A breaker would be created for any name: refuse clusters YARP does not know, before anything else.
    private static async ValueTask<object?> RequireKnownCluster(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var clusterId = context.HttpContext.Request.RouteValues["id"] as string ?? "";
        return context.HttpContext.RequestServices.GetRequiredService<IProxyStateLookup>().TryGetCluster(clusterId, out _)
            ? await next(context).ConfigureAwait(false)
            : AdminProblems.ClusterNotFound(clusterId);
    }

    [LoggerMessage(EventId = EventIds.ClusterIsolatedByOperator, Level = LogLevel.Warning, Message = "Cluster {ClusterId} isolated by {Actor}: {Reason}")]
    private static partial void LogIsolated(ILogger logger, string clusterId, string actor, string reason);

    [LoggerMessage(EventId = EventIds.BreakerResetByOperator, Level = LogLevel.Information, Message = "Cluster {ClusterId} breaker reset by {Actor} ({Reason})")]
    private static partial void LogReset(ILogger logger, string clusterId, string actor, string? reason);
}
