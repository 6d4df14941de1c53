using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Admin.Validation;
using Proxy.Traffic.Experiments;
using Proxy.Traffic.Flags;
using Proxy.Traffic.Health;
using Proxy.Traffic.Splitting;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin.Api;

/// <summary>
/// A route's A/B experiments: their counts, statistics and outcome; stop one, or stop it and promote an arm in one call (a
/// split revision like any other, or the flag's default for everyone), audited with the outcome that justified it.
/// </summary>
public static partial class ExperimentsApi
{
    /// <summary>Maps <c>GET /api/routes/{id}/experiments[/{name}[/history]]</c> and <c>POST …/{name}/stop|promote</c>.</summary>
    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/routes/{id}/experiments").WithTags("Experiments");
        api.MapGet("/", ListExperiments).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("ListExperiments").WithSummary("The route's experiments with their statistics and outcome.");
        api.MapGet("/{name}", GetExperiment).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetExperiment").WithSummary("An experiment: users per arm, lifts, sequential test, SRM check, outcome.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{name}/history", GetHistory).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetExperimentHistory").WithSummary("Who stopped or promoted the experiment, newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{name}/stop", Stop).RequireAuthorization(AdminAuthorization.WritePolicy).ValidateBody<ReasonRequest>(required: false)
            .WithName("StopExperiment").WithSummary("Stops counting; the counts so far stay readable.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{name}/promote", Promote).RequireAuthorization(AdminAuthorization.WritePolicy).ValidateBody<PromoteArmRequest>(required: false)
            .WithName("PromoteExperimentWinner").WithSummary("Stops the experiment and gives the winning (or named) arm all traffic.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return endpoints;
    }

    public static async Task<Ok<ExperimentReport[]>> ListExperiments(string id, ExperimentStore store, ExperimentReporter reporter, CancellationToken cancellationToken)
    {
        var reports = new List<ExperimentReport>();
        foreach (var experiment in store.Current.All.Where(e => string.Equals(e.Definition.RouteId, id, StringComparison.OrdinalIgnoreCase)))
        {
            reports.Add(await reporter.ReportAsync(experiment, cancellationToken).ConfigureAwait(false));
        }

        return TypedResults.Ok(reports.ToArray());
    }

    public static async Task<Results<Ok<ExperimentReport>, ProblemHttpResult>> GetExperiment(string id, string name, ExperimentStore store, ExperimentReporter reporter, CancellationToken cancellationToken) =>
        store.Current.Find(id, name) is { } experiment
            ? TypedResults.Ok(await reporter.ReportAsync(experiment, cancellationToken).ConfigureAwait(false))
            : NotFound(id, name);

    public static async Task<Results<Ok<ExperimentStatus[]>, ProblemHttpResult>> GetHistory(string id, string name, ExperimentStore store, CancellationToken cancellationToken) =>
        store.Current.Find(id, name) is { } experiment
            ? TypedResults.Ok((await store.GetHistoryAsync(experiment.Definition.RouteId, name, AdminHistory.DefaultLimit, cancellationToken).ConfigureAwait(false)).ToArray())
            : NotFound(id, name);

    public static async Task<Results<Ok<ExperimentReport>, ProblemHttpResult>> Stop(
        string id, string name, JsonBody<ReasonRequest> body, HttpContext context, ExperimentStore store, ExperimentReporter reporter, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (store.Current.Find(id, name) is not { } experiment)
        {
            return NotFound(id, name);
        }

        if (!experiment.IsRunning)
        {
            return AdminProblems.Conflict("The experiment has ended", $"Experiment '{name}' was {experiment.Status!.State} by {experiment.Status.Actor} at {experiment.Status.At:O}.");
        }

        var actor = context.User.Identity?.Name ?? "unknown";
        var report = await reporter.ReportAsync(experiment, cancellationToken).ConfigureAwait(false);
        var stopped = await store.StopAsync(id, name, actor, null, body.Value?.Reason, Allocation(report), cancellationToken).ConfigureAwait(false);
        var logger = loggers.CreateLogger(typeof(ExperimentsApi));
        LogStopped(logger, id, name, actor);
        return TypedResults.Ok(await reporter.ReportAsync(stopped!, cancellationToken).ConfigureAwait(false));
    }

    public static async Task<Results<Ok<ExperimentPromotion>, ProblemHttpResult>> Promote(
        string id, string name, JsonBody<PromoteArmRequest> body, HttpContext context, ExperimentStore store, ExperimentReporter reporter,
        [AsParameters] RouteChangeServices splits, ClusterHealthRegistry health, FlagStore flags, CancellationToken cancellationToken)
    {
        if (store.Current.Find(id, name) is not { } experiment)
        {
            return NotFound(id, name);
        }

        var request = body.Value ?? new PromoteArmRequest(null, false, null);
        var report = await reporter.ReportAsync(experiment, cancellationToken).ConfigureAwait(false);
        if (Refusal(experiment, report, request) is { } refused)
        {
            return refused;
        }

        var arm = request.Arm ?? report.Outcome.Winner!;
        var actor = context.User.Identity?.Name ?? "unknown";
        var reason = $"experiment {name}: {report.Outcome.Text}" + (request.Reason is { } given ? $" — {given}" : "");
        RouteResponse? route = null;
        FlagResponse? flag = null;
        if (experiment.Definition.Flag is { } flagName)
        {
            var changed = await FlagsApi.ChangeAsync(context, flags, splits.LoggerFactory, flagName, FlagChange.ExperimentAction, reason,
                (current, fingerprint) => new FlagOverride(flagName, current?.Enabled, arm, new Dictionary<string, decimal>(), fingerprint), cancellationToken).ConfigureAwait(false);
            if (changed.Result is not Ok<FlagResponse> ok)
            {
                return (ProblemHttpResult)changed.Result;
            }

            flag = ok.Value;
        }
        else
        {
            // The same change as POST /api/routes/{id}/promote, with the outcome in its reason.
            var promoted = await RouteChangesApi.PromoteClusterAsync(context, splits, health, experiment.Definition.RouteId, arm, request.Force, SplitActions.ExperimentPromote, reason,
                cancellationToken, refused: "The promotion does not apply to the split in force", etag: false).ConfigureAwait(false);
            if (promoted.Result is not Ok<RouteResponse> ok)
            {
                return (ProblemHttpResult)promoted.Result;
            }

            route = ok.Value;
        }

        var ended = await store.StopAsync(id, name, actor, arm, request.Reason, Allocation(report), cancellationToken).ConfigureAwait(false);
        var logger = splits.LoggerFactory.CreateLogger(typeof(ExperimentsApi));
        LogPromoted(logger, id, name, arm, actor, report.Outcome.Text);
        return TypedResults.Ok(new ExperimentPromotion(await reporter.ReportAsync(ended!, cancellationToken).ConfigureAwait(false), route, flag));
    }

    private static double[] Allocation(ExperimentReport report) => [.. report.Arms.Select(a => (double)a.Allocation)];

    private static ProblemHttpResult? Refusal(RunningExperiment experiment, ExperimentReport report, PromoteArmRequest request)
    {
        if (!experiment.IsRunning)
        {
            return AdminProblems.Conflict("The experiment has ended", $"It was {experiment.Status!.State} by {experiment.Status.Actor} at {experiment.Status.At:O}.");
        }

        if (request.Arm is { } arm && experiment.Definition.IndexOf(arm) < 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The request is not valid",
                detail: $"'{arm}' is not an arm of the experiment.",
                extensions: new Dictionary<string, object?>
                {
                    ["errors"] = new Dictionary<string, string[]> { ["arm"] = [$"'{arm}' is not an arm of the experiment ({string.Join(", ", experiment.Definition.Arms)})"] },
                });
        }

        var noWinner = request.Arm is null && report.Outcome.Winner is null
            ? AdminProblems.Conflict("No arm has won", report.Outcome.Text + ". Name an arm and send \"force\": true to promote it anyway.")
            : null;
        if (request.Force)
        {
            // Force overrides the verdict, but without a winner it must be told which arm to promote.
            return noWinner;
        }

        if (report.SampleRatio.Detected)
        {
            return AdminProblems.Conflict("The assignment is broken", report.Outcome.Text + ". Send \"force\": true to promote an arm anyway.");
        }

        if (noWinner is not null)
        {
            return noWinner;
        }

        if (request.Arm is { } named && named != report.Outcome.Winner)
        {
            return AdminProblems.Conflict($"'{named}' is not the winner", report.Outcome.Text + ". Send \"force\": true to promote it anyway.");
        }

        return null;
    }

    private static ProblemHttpResult NotFound(string routeId, string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Experiment not found", detail: $"Route '{routeId}' has no experiment '{name}'.");

    [LoggerMessage(EventId = EventIds.ExperimentStopped, Level = LogLevel.Information, Message = "Route {RouteId}: experiment {Experiment} stopped by {Actor}")]
    private static partial void LogStopped(ILogger logger, string routeId, string experiment, string actor);

    [LoggerMessage(EventId = EventIds.ExperimentPromoted, Level = LogLevel.Information, Message = "Route {RouteId}: experiment {Experiment} ended, {Arm} promoted by {Actor} ({Outcome})")]
    private static partial void LogPromoted(ILogger logger, string routeId, string experiment, string arm, string actor, string outcome);
}
