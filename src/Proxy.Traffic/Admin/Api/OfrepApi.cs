using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Admin.Validation;
using Proxy.Traffic.Flags;

namespace Proxy.Traffic.Admin.Api;

/// <summary>
/// The OpenFeature Remote Evaluation Protocol (OFREP 0.3.0, open-feature/protocol <c>service/openapi.yaml</c>): single and
/// bulk evaluation of the gateway's flags on the admin listener (Viewer key as bearer token). A context's
/// <c>targetingKey</c> is the user's key the proxy reads from the flag's header or cookie, so an SDK gets the variant the
/// upstream saw in <c>X-Proxy-Flags</c> for the same user. Errors follow OFREP's bodies, not problem details.
/// </summary>
public static class OfrepApi
{
    /// <summary>Maps <c>POST /ofrep/v1/evaluate/flags/{key}</c> and <c>POST /ofrep/v1/evaluate/flags</c>.</summary>
    public static IEndpointRouteBuilder MapOfrepApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/ofrep/v1/evaluate/flags").WithTags("OpenFeature (OFREP)").RequireAuthorization(AdminAuthorization.ReadPolicy);
        api.MapPost("/{key}", Evaluate).WithName("OfrepEvaluateFlag").WithSummary("Evaluates one flag for an evaluation context (OFREP).");
        api.MapPost("/", EvaluateAll).WithName("OfrepEvaluateFlags").WithSummary("Evaluates every flag for an evaluation context (OFREP); ETag / If-None-Match.");
        return endpoints;
    }

    public static IResult Evaluate(string key, JsonBody<OfrepEvaluationRequest> body, FlagStore store)
    {
        if (ReadContext(body, key, out var context) is { } refused)
        {
            return refused;
        }

        if (!store.Current.All.TryGetValue(key, out var flag))
        {
            return TypedResults.NotFound(OfrepEvaluation.Failure(key, "FLAG_NOT_FOUND", $"Flag '{key}' was not found"));
        }

        var evaluation = EvaluateOne(flag, context);
        return evaluation.ErrorCode is null ? TypedResults.Ok(evaluation) : TypedResults.BadRequest(evaluation);
    }

    public static IResult EvaluateAll(JsonBody<OfrepEvaluationRequest> body, HttpRequest request, HttpResponse response, FlagStore store)
    {
        if (ReadContext(body, null, out var context) is { } refused)
        {
            return refused;
        }

        var flags = store.Current;
        // The answer depends on the flag set and the context only: both are in the tag.
        var etag = $"\"{flags.Version.ToString(CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(context.GetRawText())), 0, 8)}\"";
        response.Headers.ETag = etag;
        if (request.Headers.IfNoneMatch.Any(v => v == etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var evaluations = flags.All.Values.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => EvaluateOne(f, context)).ToArray();
        return TypedResults.Ok(new OfrepBulkEvaluation(evaluations, new Dictionary<string, object> { ["version"] = flags.Version }));
    }

    private static OfrepEvaluation EvaluateOne(FeatureFlag flag, JsonElement context)
    {
        var ofrep = new OfrepFlagContext(context);
        if (flag.HasRollout && flag.Enabled && ofrep.TargetingKey is null)
        {
            return OfrepEvaluation.Failure(flag.Name, "TARGETING_KEY_MISSING", "The flag's rollout places users by targetingKey; the context has none");
        }

        var evaluation = flag.Evaluate(ofrep);
        return new OfrepEvaluation(flag.Name, flag.Values[evaluation.Variant], FlagReasons.Name(evaluation.Reason), flag.Variants[evaluation.Variant],
            new Dictionary<string, object>(), null, null);
    }

    // The context, or the answer to a body without a usable one: the admin API's own for a body too large or not JSON at all
    // (413, 415), otherwise OFREP's error body (the flag's, for a single evaluation).
    private static IResult? ReadContext(JsonBody<OfrepEvaluationRequest> body, string? key, out JsonElement context)
    {
        context = body.Value?.Context ?? default;
        if (body.Problem is IStatusCodeHttpResult { StatusCode: not StatusCodes.Status400BadRequest })
        {
            return body.Problem;
        }

        if (ContextError(body) is not var (code, details))
        {
            return null;
        }

        return key is null
            ? TypedResults.BadRequest(new OfrepFailure(code, details))
            : TypedResults.BadRequest(OfrepEvaluation.Failure(key, code, details));
    }

    // Members other than "context" are ignored, as OFREP's reference servers do; the context's own are free but for targetingKey.
    private static (string Code, string Details)? ContextError(JsonBody<OfrepEvaluationRequest> body)
    {
        if (body.Problem is not null)
        {
            return ("PARSE_ERROR", "The body is not valid JSON");
        }

        if (body.Value?.Context is not { ValueKind: JsonValueKind.Object } context)
        {
            return ("INVALID_CONTEXT", "The body must be an object with a \"context\" object");
        }

        // A JsonElement leaves its strings' UTF-8 unchecked until one is read: a rule reading it would throw.
        if (!Utf8.IsValid(JsonMarshal.GetRawUtf8Value(context)))
        {
            return ("PARSE_ERROR", "The context is not valid UTF-8");
        }

        return context.TryGetProperty("targetingKey", out var targetingKey) && targetingKey.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
            ? ("INVALID_CONTEXT", "The context's targetingKey must be a string")
            : null;
    }
}
