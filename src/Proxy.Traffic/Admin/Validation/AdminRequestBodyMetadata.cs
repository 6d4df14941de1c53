namespace Proxy.Traffic.Admin.Validation;

/// <summary>
/// Describes an admin endpoint's JSON body for the OpenAPI document. Unlike <c>Accepts</c> metadata it plays no part in
/// routing, so a body without a JSON content type still reaches the endpoint and gets a 415 problem answer.
/// </summary>
internal sealed record AdminRequestBodyMetadata(Type BodyType, bool Required);
