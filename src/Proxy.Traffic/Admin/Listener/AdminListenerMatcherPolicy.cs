using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Proxy.Traffic.Admin.Listener;

/// <summary>
/// Keeps the two listeners apart during endpoint selection: on the admin listener only admin endpoints match; elsewhere
/// admin endpoints never match, so <c>/api/...</c> on the proxy port falls through to the proxy's routes (or 404).
/// </summary>
internal sealed class AdminListenerMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => endpoints.Count > 0;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var onAdminListener = AdminListenerFeature.IsAdminRequest(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            var isAdminEndpoint = candidates[i].Endpoint.Metadata.GetMetadata<AdminEndpointMetadata>() is not null;
            if (isAdminEndpoint != onAdminListener)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
