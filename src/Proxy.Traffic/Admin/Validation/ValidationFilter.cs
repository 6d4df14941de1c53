using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>
/// Answers an unreadable or invalid body with RFC 7807 problem details naming each field, before the handler runs, so a
/// rejected request changes nothing. Validators see the route's split (when the route has one) to check cluster names.
/// </summary>
internal sealed class ValidationFilter<T>(IValidator<T> validator, bool bodyRequired) : IEndpointFilter
    where T : class
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var body = context.Arguments.OfType<JsonBody<T>>().Single();
        if (body.Problem is { } problem)
        {
            return problem;
        }

        if (body.Value is null)
        {
            return bodyRequired
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["a JSON body is required"] }, title: "The request is not valid")
                : await next(context).ConfigureAwait(false);
        }

        var validation = new ValidationContext<T>(body.Value);
        if (RouteSplitFilter.SplitOf(context.HttpContext) is { } split)
        {
            validation.RootContextData[RouteSplitFilter.SplitKey] = split;
        }

        if (context.HttpContext.Items.TryGetValue(SetFlagRequestValidator.FlagKey, out var flag))
        {
            validation.RootContextData[SetFlagRequestValidator.FlagKey] = flag!;
        }

        var result = await validator.ValidateAsync(validation, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return TypedResults.ValidationProblem(result.ToDictionary(), title: "The request is not valid");
        }

        return await next(context).ConfigureAwait(false);
    }
}

/// <summary>Adds <see cref="ValidationFilter{T}"/> to an endpoint.</summary>
internal static class ValidationFilterExtensions
{
    public static RouteHandlerBuilder ValidateBody<T>(this RouteHandlerBuilder builder, bool required)
        where T : class =>
        builder.AddEndpointFilterFactory((factory, next) =>
            {
                // Validators are singletons: resolved once, when the endpoint is built.
                var filter = new ValidationFilter<T>(factory.ApplicationServices.GetRequiredService<IValidator<T>>(), required);
                return context => filter.InvokeAsync(context, next);
            })
            .WithMetadata(new AdminRequestBodyMetadata(typeof(T), required))
            .ProducesValidationProblem();
}

/// <summary>Answers 404 for a route without a split before anything else, and hands the split to validation.</summary>
internal sealed class RouteSplitFilter(SplitStore store) : IEndpointFilter
{
    public const string SplitKey = "split";

    public static SplitSnapshot? SplitOf(HttpContext context) => context.Items.TryGetValue(SplitKey, out var split) ? split as SplitSnapshot : null;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var routeId = context.HttpContext.Request.RouteValues["id"] as string ?? "";
        if (!store.TryGetSnapshot(routeId, out var split))
        {
            return AdminProblems.RouteNotFound(routeId);
        }

        context.HttpContext.Items[SplitKey] = split;
        return await next(context).ConfigureAwait(false);
    }
}
