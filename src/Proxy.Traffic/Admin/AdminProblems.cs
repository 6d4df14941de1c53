using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin;

/// <summary>The admin API's error answers, as RFC 7807 problem details.</summary>
internal static class AdminProblems
{
    public static ProblemHttpResult RouteNotFound(string routeId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Route not found", detail: $"Route '{routeId}' has no traffic split.");

    public static ProblemHttpResult ClusterNotFound(string clusterId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Cluster not found", detail: $"Cluster '{clusterId}' is not defined under ReverseProxy:Clusters.");

    public static ProblemHttpResult StaleRevision(long expected, long current, string what = "route") =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: $"The {what} changed since you read it",
            detail: $"If-Match names revision {expected}, but revision {current} is in force. Read the {what} again and retry.");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static ProblemHttpResult BadIfMatch(string value) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "The request is not valid",
            detail: $"If-Match '{value}' is not a revision ETag such as \"7\".",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["If-Match"] = ["must be a revision ETag such as \"7\""] } });

    public static ProblemHttpResult StateUnavailable(StateUnavailableException ex) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "The shared state store cannot be reached",
            detail: "The change is not in force. Every gateway instance keeps serving its last applied split until the store is back; "
                + "then read the route again (a call cut off mid-way may have been committed) and retry. " + ex.Message);

    public static ProblemHttpResult ConcurrentChanges(string routeId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "The route keeps changing",
            detail: $"Other gateway instances changed route '{routeId}' on every attempt, or the shared store's revision is behind this instance's. Read the route again and retry.");

    public static ProblemHttpResult NotFound(string path) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"The admin API has no '{path}'. See /openapi/v1.json.");
}
