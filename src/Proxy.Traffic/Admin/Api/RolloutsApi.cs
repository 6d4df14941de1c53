using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Admin.Validation;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Admin.Api;

/// <summary>Automated rollouts: start one on a route, read where it stands, pause, resume, abort (= roll back), promote it, or approve its manual gate.</summary>
public static class RolloutsApi
{
    /// <summary>Maps <c>POST /api/routes/{id}/rollouts</c>, <c>GET …/rollouts/current</c> and <c>POST …/rollouts/current/pause|resume|abort|promote|approve</c>.</summary>
    public static IEndpointRouteBuilder MapRolloutsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/routes/{id}/rollouts").WithTags("Rollouts").AddEndpointFilter<RouteSplitFilter>();
        api.MapGet("/current", GetCurrent).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetCurrentRollout").WithSummary("The route's current or latest rollout: phase, step, weights, verdicts, next action.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var writes = api.MapGroup("").RequireAuthorization(AdminAuthorization.WritePolicy);
        writes.MapPost("/", Start).AddEndpointFilter<RolloutTemplateFilter>().ValidateBody<StartRolloutRequest>(required: true)
            .WithName("StartRollout").WithSummary("Starts a canary or blue/green rollout; its first step is in force when this answers.").ProducesCommandProblems();
        writes.MapCommand("pause", "PauseRollout", "Holds the current step; analysis (and automatic rollback) goes on.", c => c.PauseAsync);
        writes.MapCommand("resume", "ResumeRollout", "Goes on after a pause, or enters the next step after a step without pause.", c => c.ResumeAsync);
        writes.MapCommand("abort", "AbortRollout", "Ends the rollout and sends all traffic back to stable.", c => c.AbortAsync);
        writes.MapCommand("promote", "PromoteRollout", "Makes the candidate stable with all traffic now.", c => c.PromoteAsync);
        writes.MapPost("/current/approve", Approve).ValidateBody<ReasonRequest>(required: false)
            .WithName("ApproveRolloutGate").WithSummary("Satisfies the manual gate (a confirm-* hook without url) the rollout waits at; 409 when it waits at none.").ProducesCommandProblems();
        return endpoints;
    }

    public static Results<Ok<RolloutResponse>, ProblemHttpResult> GetCurrent(string id, RolloutRegistry registry, SplitStore store) =>
        registry.Get(id) is { } rollout
            ? TypedResults.Ok(Describe(rollout, store))
            : NoRollout(id);

    public static Task<Results<Ok<RolloutResponse>, ProblemHttpResult>> Start(
        string id, JsonBody<StartRolloutRequest> body, HttpContext context, RolloutController controller, SplitStore store, CancellationToken cancellationToken) =>
        CommandAsync(store, id, controller.StartRolloutAsync(id, RolloutPlanReader.Read(body.Value!), ActorOf(context), cancellationToken));

    public static Task<Results<Ok<RolloutResponse>, ProblemHttpResult>> Approve(
        string id, JsonBody<ReasonRequest> body, HttpContext context, RolloutController controller, SplitStore store, CancellationToken cancellationToken) =>
        CommandAsync(store, id, controller.ApproveAsync(id, ActorOf(context), body.Value?.Reason, cancellationToken));

    private static void MapCommand(
        this RouteGroupBuilder writes,
        string verb,
        string name,
        string summary,
        Func<RolloutController, Func<string, string, CancellationToken, Task<RolloutCommandResult>>> command) =>
        writes.MapPost($"/current/{verb}", (string id, HttpContext context, RolloutController controller, SplitStore store, CancellationToken cancellationToken) =>
                CommandAsync(store, id, command(controller)(id, ActorOf(context), cancellationToken)))
            .WithName(name).WithSummary(summary).ProducesCommandProblems();

    private static async Task<Results<Ok<RolloutResponse>, ProblemHttpResult>> CommandAsync(SplitStore store, string routeId, Task<RolloutCommandResult> command)
    {
        var result = await command.ConfigureAwait(false);
        return result.Outcome switch
        {
            RolloutCommandOutcome.Done => TypedResults.Ok(Describe(result.State!, store)),
            RolloutCommandOutcome.NoRollout => NoRollout(routeId),
            RolloutCommandOutcome.RouteNotFound => AdminProblems.RouteNotFound(routeId),
            RolloutCommandOutcome.Unavailable => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The rollout's leader did not answer", detail: result.Detail),
            _ => AdminProblems.Conflict("The rollout command does not apply", result.Detail!),
        };
    }

    private static RolloutResponse Describe(RolloutState rollout, SplitStore store) =>
        RolloutResponse.From(rollout, store.TryGetSnapshot(rollout.RouteId, out var split) ? split : null);

    private static ProblemHttpResult NoRollout(string routeId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No rollout", detail: $"Route '{routeId}' has had no rollout. Start one with POST /api/routes/{routeId}/rollouts.");

    private static string ActorOf(HttpContext context) => context.User.Identity?.Name ?? "unknown";

    private static RouteHandlerBuilder ProducesCommandProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
