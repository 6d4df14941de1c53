using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Health;

/// <summary>The fast 503 a split route answers when none of its clusters can take traffic, without trying an upstream.</summary>
internal static class NoHealthyClusterResponse
{
    public static Task WriteAsync(HttpContext context, SplitSnapshot snapshot, EffectiveSplit effective)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        // A trial may be let through once the shortest break elapses: the earliest moment a retry can succeed.
        var retryAfter = effective.Breakers.Min(b => b.Settings.BreakDuration);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Results.Problem(
            title: "No healthy cluster",
            detail: $"Every cluster of route '{snapshot.RouteId}' is unavailable (open or isolated breaker, or no healthy destination).",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            extensions: new Dictionary<string, object?> { ["route"] = snapshot.RouteId }).ExecuteAsync(context);
    }
}
