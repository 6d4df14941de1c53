using Microsoft.AspNetCore.Http;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Templates;

namespace Proxy.Traffic.Admin.Validation;

/// <summary>
/// Before a rollout plan is validated: a plan that names a template is replaced by the plan merged onto it (so validation
/// and the handler see the one plan that will run, from one version of the templates); an unknown template is a 400
/// naming <c>template</c>.
/// </summary>
internal sealed class RolloutTemplateFilter(RolloutTemplateStore templates) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        for (var i = 0; i < context.Arguments.Count; i++)
        {
            if (context.Arguments[i] is JsonBody<StartRolloutRequest> { Value: { Template: { } name } request })
            {
                var known = templates.All;
                if (RolloutTemplateMerge.Resolve(request, known) is not { } merged)
                {
                    var names = known.Count == 0 ? "none is configured" : "it has " + string.Join(", ", known.Keys.Order(StringComparer.Ordinal));
                    return TypedResults.ValidationProblem(
                        new Dictionary<string, string[]> { ["template"] = [$"the gateway has no rollout template '{name}' ({names})"] }, title: "The request is not valid");
                }

                context.Arguments[i] = JsonBody<StartRolloutRequest>.Of(merged);
            }
        }

        return await next(context).ConfigureAwait(false);
    }
}
