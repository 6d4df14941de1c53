namespace Proxy.DemoBackend.Json;

/// <summary>The answer of <c>POST /_demo/upload</c>: how many bytes arrived and their SHA-256.</summary>
internal sealed record UploadResult(long Bytes, string Sha256);
