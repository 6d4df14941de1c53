using Microsoft.AspNetCore.Http;

namespace Proxy.Traffic.Admin.Listener;

/// <summary>
/// Marks a connection accepted on an admin listener. Set by Kestrel connection middleware, so it describes the socket
/// the request arrived on and cannot be forged by a client (unlike the Host header).
/// </summary>
public sealed class AdminListenerFeature
{
    /// <summary>The one instance every admin connection carries.</summary>
    public static readonly AdminListenerFeature Instance = new();

    private AdminListenerFeature()
    {
    }

    /// <summary>True when the request arrived on an admin listener.</summary>
    public static bool IsAdminRequest(HttpContext context) => context.Features.Get<AdminListenerFeature>() is not null;
}
