using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Admin.Validation;
using Proxy.Traffic.Flags;

namespace Proxy.Traffic.Admin.Api;

/// <summary>
/// Feature flags: read them, flip the kill switch, set the default or the rollout at runtime, go back to the file's. Every
/// change is validated first, committed with an audit entry naming the key, and in force for the very next request.
/// </summary>
public static partial class FlagsApi
{
    /// <summary>Maps <c>/api/flags</c>, <c>/api/flags/{name}</c> and its <c>kill|enable|reset|history</c>.</summary>
    public static IEndpointRouteBuilder MapFlagsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/flags", ListFlags).WithTags("Flags").RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("ListFlags").WithSummary("Every feature flag in force.");
        var api = endpoints.MapGroup("/api/flags/{name}").WithTags("Flags").AddEndpointFilter(RequireKnownFlag);
        api.MapGet("/", GetFlag).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetFlag").WithSummary("A flag in force and the file's version of it.").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/history", GetHistory).RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("GetFlagHistory").WithSummary("The flag's audit trail, newest first.").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/", SetFlag).RequireAuthorization(AdminAuthorization.WritePolicy).ValidateBody<SetFlagRequest>(required: true)
            .WithName("SetFlag").WithSummary("Sets the flag's default and/or rollout at runtime.").ProducesChangeProblems();
        api.MapPost("/kill", Kill).RequireAuthorization(AdminAuthorization.WritePolicy).ValidateBody<ReasonRequest>(required: false)
            .WithName("KillFlag").WithSummary("The kill switch: everyone gets the default variant, from the next request on.").ProducesChangeProblems();
        api.MapPost("/enable", Enable).RequireAuthorization(AdminAuthorization.WritePolicy).ValidateBody<ReasonRequest>(required: false)
            .WithName("EnableFlag").WithSummary("Lifts the kill switch.").ProducesChangeProblems();
        api.MapPost("/reset", Reset).RequireAuthorization(AdminAuthorization.WritePolicy).ValidateBody<ReasonRequest>(required: false)
            .WithName("ResetFlag").WithSummary("Drops the runtime setting: the file's flag applies again.").ProducesChangeProblems();
        return endpoints;
    }

    public static Ok<FlagResponse[]> ListFlags(FlagStore store) =>
        TypedResults.Ok(store.Current.All.Values.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => FlagResponse.From(f, store)).ToArray());

    public static Ok<FlagResponse> GetFlag(string name, FlagStore store) => TypedResults.Ok(FlagResponse.From(store.Current.All[name], store));

    public static async Task<Ok<FlagChange[]>> GetHistory(string name, FlagStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.GetHistoryAsync(name, AdminHistory.DefaultLimit, cancellationToken).ConfigureAwait(false)).ToArray());

    public static Task<Results<Ok<FlagResponse>, ProblemHttpResult>> SetFlag(string name, JsonBody<SetFlagRequest> body, HttpContext context, FlagStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var request = body.Value!;
        return ChangeAsync(context, store, loggers, name, FlagChange.SetAction, request.Reason,
            (current, fingerprint) => new FlagOverride(name, current?.Enabled, request.Default ?? current?.Default, request.Rollout ?? current?.Rollout, fingerprint),
            cancellationToken);
    }

    public static Task<Results<Ok<FlagResponse>, ProblemHttpResult>> Kill(string name, JsonBody<ReasonRequest> body, HttpContext context, FlagStore store, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ChangeAsync(context, store, loggers, name, FlagChange.KillAction, body.Value?.Reason,
            (current, fingerprint) => (current ?? new FlagOverride(name, null, null, null, fingerprint)) with { Enabled = false, Configured = fingerprint },
            cancellationToken);

    public static Task<Results<Ok<FlagResponse>, ProblemHttpResult>> Enable(string name, JsonBody<ReasonRequest> body, HttpContext context, FlagStore store, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ChangeAsync(context, store, loggers, name, FlagChange.EnableAction, body.Value?.Reason,
            (current, fingerprint) => (current ?? new FlagOverride(name, null, null, null, fingerprint)) with { Enabled = true, Configured = fingerprint },
            cancellationToken);

    public static Task<Results<Ok<FlagResponse>, ProblemHttpResult>> Reset(string name, JsonBody<ReasonRequest> body, HttpContext context, FlagStore store, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        ChangeAsync(context, store, loggers, name, FlagChange.ConfigAction, body.Value?.Reason, (_, _) => null, cancellationToken);

    /// <summary>Commits a change of a flag's runtime setting with its audit entry; the answer is the flag in force.</summary>
    internal static async Task<Results<Ok<FlagResponse>, ProblemHttpResult>> ChangeAsync(
        HttpContext context, FlagStore store, ILoggerFactory loggers, string name, string action, string? reason, Func<FlagOverride?, string, FlagOverride?> edit, CancellationToken cancellationToken)
    {
        var actor = context.User.Identity?.Name ?? "unknown";
        var change = await store.ChangeAsync(name, action, actor, reason, edit, cancellationToken).ConfigureAwait(false);
        if (change is null)
        {
            return FlagNotFound(name);
        }

        var logger = loggers.CreateLogger(typeof(FlagsApi));
        LogChange(logger, name, action, actor, change.After);
        return TypedResults.Ok(FlagResponse.From(store.Current.All[name], store));
    }

    private static ProblemHttpResult FlagNotFound(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Flag not found", detail: $"Flag '{name}' is not defined under TrafficSplit:Flags.");

    // A flag the file does not declare is refused before anything else; the flag goes to validation.
    private static async ValueTask<object?> RequireKnownFlag(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var name = context.HttpContext.Request.RouteValues["name"] as string ?? "";
        if (!context.HttpContext.RequestServices.GetRequiredService<FlagStore>().Current.All.TryGetValue(name, out var flag))
        {
            return FlagNotFound(name);
        }

        context.HttpContext.Items[SetFlagRequestValidator.FlagKey] = flag;
        return await next(context).ConfigureAwait(false);
    }

    private static RouteHandlerBuilder ProducesChangeProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    [LoggerMessage(EventId = EventIds.FlagChanged, Level = LogLevel.Information, Message = "Flag {Flag}: {Action} by {Actor}, now {State}")]
    private static partial void LogChange(ILogger logger, string flag, string action, string actor, FlagState? state);
}
