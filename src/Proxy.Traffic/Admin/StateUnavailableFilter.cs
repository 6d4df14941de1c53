using Microsoft.AspNetCore.Http;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin;

/// <summary>
/// Answers every admin call that needed the state store while it could not be reached (a Redis that is down) with 503 and
/// the problem body of <see cref="AdminProblems.StateUnavailable"/>: one place for what each endpoint would otherwise catch.
/// Stores throw <see cref="StateUnavailableException"/> before they change anything, so the answer means "not done".
/// </summary>
internal static class StateUnavailableFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (StateUnavailableException ex)
        {
            return AdminProblems.StateUnavailable(ex);
        }
    }
}
