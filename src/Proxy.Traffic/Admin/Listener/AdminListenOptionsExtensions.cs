using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Proxy.Traffic.Admin.Listener;

/// <summary>Makes a Kestrel endpoint the admin listener.</summary>
public static class AdminListenOptionsExtensions
{
    /// <summary>
    /// Marks every connection of this endpoint as an admin connection: the admin API answers there and only there, and
    /// nothing else (the proxy included) does.
    /// </summary>
    public static ListenOptions UseTrafficAdminListener(this ListenOptions listenOptions)
    {
        listenOptions.Use(next => connection =>
        {
            connection.Features.Set(AdminListenerFeature.Instance);
            return next(connection);
        });
        return listenOptions;
    }
}
