using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Proxy.Traffic.Admin.Validation;

namespace Proxy.Traffic.Admin;

/// <summary>Documents the JSON body of admin endpoints that read it through <see cref="JsonBody{T}"/>.</summary>
internal sealed class AdminRequestBodyTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<AdminRequestBodyMetadata>().FirstOrDefault() is not { } body)
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(body.BodyType, null, cancellationToken).ConfigureAwait(false);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = body.Required,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }
}
