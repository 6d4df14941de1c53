namespace Proxy.Traffic.Admin.Listener;

/// <summary>Marks an endpoint of the admin API: it is matched on the admin listener only.</summary>
public sealed class AdminEndpointMetadata
{
    /// <summary>The one instance admin endpoints carry.</summary>
    public static readonly AdminEndpointMetadata Instance = new();

    private AdminEndpointMetadata()
    {
    }
}
