using System.Text.Json.Serialization;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>The optional body of rollback, undo, isolate and reset: why (at most 500 characters).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ReasonRequest(string? Reason);
