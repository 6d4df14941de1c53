using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Admin.Validation;
using Proxy.Traffic.Health;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin.Api;

/// <summary>
/// Changes to a route's split: set weights, roll back, promote, undo. Each is validated first, honours If-Match, is
/// committed to the state repository and in force before the answer, and is recorded with the key's name as actor.
/// </summary>
public static partial class RouteChangesApi
{
    /// <summary>Maps <c>PUT /api/routes/{id}/weights</c> and <c>POST /api/routes/{id}/rollback|promote|undo</c>.</summary>
    public static IEndpointRouteBuilder MapRouteChangesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/routes/{id}").WithTags("Routes").RequireAuthorization(AdminAuthorization.WritePolicy)
            .AddEndpointFilter<RouteSplitFilter>();
        api.MapPut("/weights", SetWeights).ValidateBody<SetWeightsRequest>(required: true)
            .WithName("SetRouteWeights").WithSummary("Sets the weights atomically; honours If-Match.").ProducesChangeProblems();
        api.MapPost("/rollback", Rollback).ValidateBody<ReasonRequest>(required: false)
            .WithName("RollbackRoute").WithSummary("Sends all new traffic to the stable cluster, from the next request on.").ProducesChangeProblems();
        api.MapPost("/promote", Promote).ValidateBody<PromoteRequest>(required: true)
            .WithName("PromoteCluster").WithSummary("Makes a cluster stable with 100%; 409 when it is unhealthy, unless forced.").ProducesChangeProblems();
        api.MapPost("/undo", Undo).ValidateBody<ReasonRequest>(required: false)
            .WithName("UndoRouteChange").WithSummary("Restores the previous revision's stable cluster and weights.").ProducesChangeProblems();
        return endpoints;
    }

    public static Task<Results<Ok<RouteResponse>, ProblemHttpResult>> SetWeights(string id, JsonBody<SetWeightsRequest> body, HttpContext context, [AsParameters] RouteChangeServices services, CancellationToken cancellationToken)
    {
        var request = body.Value!;
        return ChangeAsync(context, services, id, SplitActions.SetWeights, request.Reason, (store, edit) => store.UpdateAsync(id, edit, split =>
        {
            // Validation checked the clusters against the split it saw; a reload may have changed them since.
            var unknown = request.Weights!.Keys.FirstOrDefault(c => split.IndexOf(c) < 0);
            return unknown is not null
                ? SplitProposal.Refuse($"cluster '{unknown}' is no longer part of the split")
                : SplitProposal.To(split.Definition.WithWeights(
                    split.ClusterIds.Select(c => new ClusterWeight(c, BasisPoints.FromPercent(request.Weights.GetValueOrDefault(c)))).ToArray()));
        }, cancellationToken));
    }

    public static Task<Results<Ok<RouteResponse>, ProblemHttpResult>> Rollback(
        string id, JsonBody<ReasonRequest> body, HttpContext context, [AsParameters] RouteChangeServices services, CancellationToken cancellationToken) =>
        ChangeAsync(context, services, id, SplitActions.Rollback, body.Value?.Reason, (store, edit) => store.UpdateAsync(id, edit, split =>
            SplitProposal.To(split.Definition.WithWeights(AllTo(split, split.Definition.Stable))), cancellationToken));

    public static Task<Results<Ok<RouteResponse>, ProblemHttpResult>> Promote(
        string id, JsonBody<PromoteRequest> body, HttpContext context, ClusterHealthRegistry health, [AsParameters] RouteChangeServices services, CancellationToken cancellationToken)
    {
        var request = body.Value!;
        return PromoteClusterAsync(context, services, health, id, request.Cluster!, request.Force, SplitActions.Promote, request.Reason, cancellationToken);
    }

    /// <summary>
    /// The blue/green switch, for <c>POST …/promote</c> and an experiment's promotion alike: the cluster becomes stable with
    /// 100 % as one audited revision; refused (409) while it cannot take all traffic, unless forced, or when a reload has
    /// taken it out of the split. <paramref name="refused"/> titles that last refusal; an experiment's answer carries no
    /// split ETag (<paramref name="etag"/>), being about the experiment.
    /// </summary>
    internal static async Task<Results<Ok<RouteResponse>, ProblemHttpResult>> PromoteClusterAsync(
        HttpContext context, RouteChangeServices services, ClusterHealthRegistry health, string routeId, string cluster, bool force, string action, string? reason,
        CancellationToken cancellationToken, string? refused = null, bool etag = true)
    {
        if (!force && !health.IsAvailable(cluster))
        {
            var status = health.GetStatus(cluster);
            return AdminProblems.Conflict(
                $"Cluster '{cluster}' cannot take all traffic",
                $"It has {status.HealthyDestinations} of {status.TotalDestinations} destinations healthy and its breaker is {status.Breaker}"
                + (status.Reason is null ? "" : $" ({status.Reason})") + ". Send \"force\": true to promote it anyway.");
        }

        return await ChangeAsync(context, services, routeId, action, reason, (store, edit) => store.UpdateAsync(routeId, edit, split =>
            split.IndexOf(cluster) < 0
                ? SplitProposal.Refuse($"cluster '{cluster}' is no longer part of the split")
                : SplitProposal.To(split.Definition with { Stable = cluster, Weights = AllTo(split, cluster) }), cancellationToken), refused, etag).ConfigureAwait(false);
    }

    public static Task<Results<Ok<RouteResponse>, ProblemHttpResult>> Undo(
        string id, JsonBody<ReasonRequest> body, HttpContext context, [AsParameters] RouteChangeServices services, CancellationToken cancellationToken) =>
        ChangeAsync(context, services, id, SplitActions.Undo, body.Value?.Reason, (store, edit) => store.UndoAsync(id, edit, cancellationToken));

    private static ClusterWeight[] AllTo(SplitSnapshot split, string cluster) =>
        split.ClusterIds.Select(c => new ClusterWeight(c, string.Equals(c, cluster, StringComparison.Ordinal) ? BasisPoints.Total : 0)).ToArray();

    private static async Task<Results<Ok<RouteResponse>, ProblemHttpResult>> ChangeAsync(
        HttpContext context,
        RouteChangeServices services,
        string routeId,
        string action,
        string? reason,
        Func<SplitStore, SplitEdit, Task<SplitUpdateResult>> change,
        string? refused = null,
        bool etag = true)
    {
        if (!RevisionETag.TryReadIfMatch(context.Request, out var expected))
        {
            return AdminProblems.BadIfMatch(context.Request.Headers.IfMatch.ToString());
        }

        var actor = context.User.Identity?.Name ?? "unknown";
        SplitUpdateResult result;
        try
        {
            result = await change(services.Store, new SplitEdit(action, actor, SplitChangeSource.Api, reason, expected)).ConfigureAwait(false);
        }
        catch (StateConflictException)
        {
            return AdminProblems.ConcurrentChanges(routeId);
        }

        var current = result.Current;
        if (current is not null && etag)
        {
            context.Response.Headers.ETag = RevisionETag.Format(current.Revision);
        }

        switch (result.Outcome)
        {
            case SplitUpdateOutcome.Applied or SplitUpdateOutcome.Unchanged:
                if (result.Outcome == SplitUpdateOutcome.Applied)
                {
                    var logger = services.LoggerFactory.CreateLogger(typeof(RouteChangesApi));
                    LogChange(logger, routeId, action, actor, current!.Revision, current);
                }

                return TypedResults.Ok(services.Projection.Describe(current!));
            case SplitUpdateOutcome.RevisionMismatch:
                return AdminProblems.StaleRevision(expected!.Value, current!.Revision);
            case SplitUpdateOutcome.Refused:
                return AdminProblems.Conflict(refused ?? $"The {action} does not apply to the split in force", result.Detail!);
            default:
                return AdminProblems.RouteNotFound(routeId);
        }
    }

    private static RouteHandlerBuilder ProducesChangeProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    [LoggerMessage(EventId = EventIds.SplitChanged, Level = LogLevel.Information, Message = "Route {RouteId}: {Action} by {Actor}, now revision {Revision}: {Split}")]
    private static partial void LogChange(ILogger logger, string routeId, string action, string actor, long revision, SplitSnapshot split);
}
