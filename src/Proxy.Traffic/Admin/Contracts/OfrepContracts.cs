using System.Text.Json;
using System.Text.Json.Serialization;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>An OFREP evaluation request (single or bulk): the evaluation context, with <c>targetingKey</c>.</summary>
public sealed record OfrepEvaluationRequest(JsonElement? Context);

/// <summary>One OFREP evaluation: a success (<c>value</c>, <c>reason</c>, <c>variant</c>) or a failure (<c>errorCode</c>, <c>errorDetails</c>).</summary>
public sealed record OfrepEvaluation(
    string Key,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Value,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Variant,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, object>? Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorDetails)
{
    /// <summary>A failure.</summary>
    public static OfrepEvaluation Failure(string key, string code, string details) => new(key, null, null, null, null, code, details);
}

/// <summary>The OFREP bulk answer: every flag's evaluation.</summary>
public sealed record OfrepBulkEvaluation(OfrepEvaluation[] Flags, Dictionary<string, object> Metadata);

/// <summary>An OFREP failure of the request as a whole.</summary>
public sealed record OfrepFailure(string ErrorCode, string ErrorDetails);
