using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Proxy.DemoBackend.Json;

namespace Proxy.DemoBackend.Endpoints;

/// <summary><c>/_demo/faults</c>: read (GET), replace (POST) or clear (DELETE) the injected faults.</summary>
internal static class FaultsApi
{
    public static IEndpointRouteBuilder MapFaultsApi(this IEndpointRouteBuilder endpoints, DemoUpstreamServer server)
    {
        var faults = server.Faults;
        endpoints.MapGet("/_demo/faults", Ok<DemoFaultsDocument> () => TypedResults.Ok(DemoFaultsDocument.From(faults)));
        endpoints.MapPost("/_demo/faults", (HttpRequest request) => ReplaceAsync(request, faults));
        endpoints.MapDelete("/_demo/faults", Ok<DemoFaultsDocument> () =>
        {
            faults.Clear();
            return TypedResults.Ok(DemoFaultsDocument.From(faults));
        });
        return endpoints;
    }

    // Fields left out take their defaults, so a POST always describes the whole fault state.
    private static async Task<Results<Ok<DemoFaultsDocument>, ValidationProblem>> ReplaceAsync(HttpRequest request, DemoFaults faults)
    {
        DemoFaultsDocument? document;
        try
        {
            document = request.ContentLength == 0
                ? new DemoFaultsDocument(null, null, null, null)
                : await JsonSerializer.DeserializeAsync(request.Body, DemoJsonContext.Default.DemoFaultsDocument, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Invalid(FieldName(ex.Path), ex.Message);
        }

        if (document is null)
        {
            return Invalid("body", "The body must be a JSON object.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (document.ErrorRate is { } errorRate && !DemoFaults.IsValidRate(errorRate))
        {
            errors["errorRate"] = ["errorRate must be between 0 and 1."];
        }

        if (document.LatencyMs is < 0)
        {
            errors["latencyMs"] = ["latencyMs must be zero or more."];
        }

        if (document.AbortRate is { } abortRate && !DemoFaults.IsValidRate(abortRate))
        {
            errors["abortRate"] = ["abortRate must be between 0 and 1."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid fault settings");
        }

        faults.ErrorRate = document.ErrorRate ?? 0;
        faults.LatencyMs = document.LatencyMs ?? 0;
        faults.Healthy = document.Healthy ?? true;
        faults.AbortRate = document.AbortRate ?? 0;
        return TypedResults.Ok(DemoFaultsDocument.From(faults));
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Invalid fault settings");

    // "$.errorRate" -> "errorRate"; a problem with the document as a whole is reported on "body".
    private static string FieldName(string? jsonPath) =>
        jsonPath is { Length: > 2 } && jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : "body";
}
