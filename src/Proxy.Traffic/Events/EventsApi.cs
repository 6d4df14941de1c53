using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Admin.Auth;

namespace Proxy.Traffic.Events;

/// <summary><c>GET /api/events</c>: the live event stream as Server-Sent Events.</summary>
public static class EventsApi
{
    private const int MaxRouteLength = 200;

    /// <summary>Maps <c>GET /api/events</c> (Viewer).</summary>
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/events", StreamAsync).WithTags("Events").RequireAuthorization(AdminAuthorization.ReadPolicy)
            .WithName("StreamEvents")
            .WithSummary("Server-Sent Events: split revisions, breaker transitions, rollouts, mirrors, reloads, certificates, fleet, traffic. Resume with Last-Event-ID.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    public static async Task<IResult> StreamAsync(
        HttpContext context, string? route, string? kinds, string? lastEventId, ProxyEventHub stream, IOptions<EventStreamOptions> options, TimeProvider timeProvider,
        IHostApplicationLifetime lifetime)
    {
        if (Parse(route, kinds) is not { } filter)
        {
            return InvalidFilter(route, kinds);
        }

        // The browser's EventSource sends the header when it reconnects; the query is for a first connection that resumes.
        string? resumeFrom = context.Request.Headers["Last-Event-ID"];
        using var client = stream.Subscribe(string.IsNullOrEmpty(resumeFrom) ? lastEventId : resumeFrom, filter);
        if (client is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Too many event stream clients",
                detail: $"{options.Value.MaxClients} clients are connected (Admin:Events:MaxClients); retry later.");
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var dropped = client.Dropped.Register(static state => ((HttpContext)state!).Abort(), context);

        // A stream never ends by itself: it ends with the client, or when the gateway stops (not after the shutdown timeout).
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await new ServerSentEventWriter(response, stream).WriteAsync(client, options.Value.KeepAliveInterval, timeProvider, ends.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away.
        }

        return Results.Empty;
    }

    private static EventFilter? Parse(string? route, string? kinds)
    {
        if (route is { Length: 0 or > MaxRouteLength })
        {
            return null;
        }

        if (kinds is null)
        {
            return new EventFilter(route, null);
        }

        var asked = kinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return asked.Length > 0 && asked.All(ProxyEventKinds.All.Contains) ? new EventFilter(route, asked.ToFrozenSet(StringComparer.Ordinal)) : null;
    }

    private static ValidationProblem InvalidFilter(string? route, string? kinds)
    {
        var errors = new Dictionary<string, string[]>();
        if (route is { Length: 0 or > MaxRouteLength })
        {
            errors["route"] = [$"must be a route id of 1 to {MaxRouteLength} characters"];
        }

        var unknown = kinds?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(k => !ProxyEventKinds.All.Contains(k)).ToArray() ?? [];
        if (kinds is not null && (unknown.Length > 0 || kinds.Trim(' ', ',').Length == 0))
        {
            errors["kinds"] = [$"{(unknown.Length > 0 ? string.Join(", ", unknown.Select(k => $"'{k}'")) + " is not a kind" : "no kind given")}; use {string.Join(", ", ProxyEventKinds.All.Order(StringComparer.Ordinal))}"];
        }

        return TypedResults.ValidationProblem(errors, title: "The request is not valid");
    }
}
