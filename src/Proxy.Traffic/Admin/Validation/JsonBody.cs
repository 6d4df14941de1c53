using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>
/// An admin request body read by <see cref="AdminRequestReader"/>: the value, or the problem answering a body that could
/// not be read. <see cref="ValidationFilter{T}"/> answers the problem before the handler runs.
/// </summary>
public sealed class JsonBody<T>
    where T : class
{
    private JsonBody(T? value, IResult? problem)
    {
        Value = value;
        Problem = problem;
    }

    /// <summary>The body, or null when there was none.</summary>
    public T? Value { get; }

    /// <summary>The 4xx answer when the body could not be read.</summary>
    public IResult? Problem { get; }

    /// <summary>A body replaced before validation (a rollout plan merged onto its template).</summary>
    internal static JsonBody<T> Of(T value) => new(value, null);

    /// <summary>Called by minimal APIs to bind the parameter.</summary>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Minimal APIs bind through a static BindAsync on the parameter type.")]
    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var (value, problem) = await context.RequestServices.GetRequiredService<AdminRequestReader>().ReadAsync<T>(context).ConfigureAwait(false);
        return new JsonBody<T>(value, problem);
    }
}
