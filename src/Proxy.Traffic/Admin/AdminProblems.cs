using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Proxy.Traffic.Admin;

/// <summary>The admin API's error answers, as RFC 7807 problem details.</summary>
internal static class AdminProblems
{
    public static ProblemHttpResult RouteNotFound(string routeId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Route not found", detail: $"Route '{routeId}' has no traffic split.");

    public static ProblemHttpResult ClusterNotFound(string clusterId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Cluster not found", detail: $"Cluster '{clusterId}' is not defined under ReverseProxy:Clusters.");

    public static ProblemHttpResult StaleRevision(long expected, long current) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status412PreconditionFailed,
            title: "The route changed since you read it",
            detail: $"If-Match names revision {expected}, but revision {current} is in force. Read the route again and retry.");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static ProblemHttpResult BadIfMatch(string value) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "The request is not valid",
            detail: $"If-Match '{value}' is not a revision ETag such as \"7\".",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["If-Match"] = ["must be a revision ETag such as \"7\""] } });

    public static ProblemHttpResult NotFound(string path) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"The admin API has no '{path}'. See /openapi/v1.json.");
}
