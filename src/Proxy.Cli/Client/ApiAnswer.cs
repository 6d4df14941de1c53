namespace Proxy.Cli.Client;

/// <summary>An admin API answer: the typed value, the JSON as the API sent it (for <c>-o json</c>) and its ETag, if any.</summary>
public sealed record ApiAnswer<T>(T Value, string Json, string? ETag);
