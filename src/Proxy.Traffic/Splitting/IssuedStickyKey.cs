using Microsoft.AspNetCore.Http;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// The sticky key the split step issued to a new user on this request (in its cookie), for steps that identify users,
/// such as experiments, before the cookie comes back. Set only for new users, so other requests allocate nothing.
/// </summary>
public static class IssuedStickyKey
{
    private static readonly object ItemKey = new();

    /// <summary>The key issued on this request, or null.</summary>
    public static string? Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var key) ? key as string : null;

    internal static void Set(HttpContext context, string key) => context.Items[ItemKey] = key;
}
