namespace Proxy.DemoBackend.Endpoints;

/// <summary>The length and lower-case hex SHA-256 of a request body.</summary>
internal readonly record struct BodyDigest(long Length, string Sha256);
