namespace Proxy.DemoBackend.Endpoints;

/// <summary>Other <c>/_demo/*</c> requests answer 405 (known path, other method) or 404, so a typo in a test's control call fails loudly instead of echoing.</summary>
internal static class UnknownDemoApi
{
    public static IEndpointConventionBuilder MapUnknownDemoApi(this IEndpointRouteBuilder endpoints)
    {
        var dataSources = endpoints.DataSources;
        return endpoints.Map("/_demo/{**rest}", (HttpContext context) =>
        {
            var allowed = AllowedMethods(dataSources, context.Request.Path);
            if (allowed.Count == 0)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Unknown demo endpoint",
                    detail: $"{context.Request.Path} is not a demo endpoint; see /_demo/faults, /_demo/stats, /_demo/ws, /_demo/sse, /_demo/download, /_demo/upload.");
            }

            context.Response.Headers.Allow = string.Join(", ", allowed);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status405MethodNotAllowed,
                title: "Method not allowed",
                detail: $"{context.Request.Path} accepts {string.Join(", ", allowed)}.");
        });
    }

    // Only reached for mistakes, so scanning the endpoints here costs nothing on the normal path.
    private static SortedSet<string> AllowedMethods(ICollection<EndpointDataSource> dataSources, PathString path)
    {
        var allowed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in dataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>())
        {
            if (endpoint.RoutePattern.Parameters.Count == 0
                && string.Equals(endpoint.RoutePattern.RawText?.TrimEnd('/'), path.Value?.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
                && endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { } methods)
            {
                allowed.UnionWith(methods.HttpMethods);
            }
        }

        return allowed;
    }
}
