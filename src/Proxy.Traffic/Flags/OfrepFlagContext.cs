using System.Text.Json;

namespace Proxy.Traffic.Flags;

/// <summary>
/// An OFREP evaluation context as a flag context: <c>targetingKey</c> is the user's key, and the request's attributes are
/// <c>route</c>, <c>path</c>, <c>headers</c> (an object of header → value) and <c>cookies</c> (cookie → value).
/// </summary>
public readonly struct OfrepFlagContext(JsonElement context) : IFlagContext
{
    public string RouteId => Text(context, "route") ?? "";

    public ReadOnlySpan<char> Path => (Text(context, "path") ?? "").AsSpan();

    public bool TryGetHeader(string name, out ReadOnlySpan<char> value) => TryGetMember("headers", name, out value);

    public bool TryGetCookie(string name, out ReadOnlySpan<char> value) => TryGetMember("cookies", name, out value);

    // The SDK names the user: the same key the proxy reads from the flag's header or cookie.
    public bool TryGetKey(FlagKeySource source, out ReadOnlySpan<char> value)
    {
        value = (Text(context, "targetingKey") ?? "").AsSpan();
        return !value.IsEmpty;
    }

    /// <summary>The context's targeting key, if it has one.</summary>
    public string? TargetingKey => Text(context, "targetingKey");

    private bool TryGetMember(string objectName, string name, out ReadOnlySpan<char> value)
    {
        if (context.ValueKind == JsonValueKind.Object && context.TryGetProperty(objectName, out var members) && members.ValueKind == JsonValueKind.Object)
        {
            // Header names are case-insensitive; cookie names are compared as the request path does (ordinal) after a case-insensitive match.
            foreach (var member in members.EnumerateObject())
            {
                if (string.Equals(member.Name, name, StringComparison.OrdinalIgnoreCase) && member.Value.ValueKind == JsonValueKind.String)
                {
                    value = member.Value.GetString().AsSpan();
                    return !value.IsEmpty;
                }
            }
        }

        value = default;
        return false;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
