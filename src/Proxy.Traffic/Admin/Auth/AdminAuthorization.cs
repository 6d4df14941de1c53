using Microsoft.AspNetCore.Authorization;

namespace Proxy.Traffic.Admin.Auth;

/// <summary>The admin API's authentication scheme and authorization policies.</summary>
public static class AdminAuthorization
{
    /// <summary>The API key scheme (<c>Authorization: Bearer &lt;key&gt;</c>).</summary>
    public const string ApiKeyScheme = "AdminApiKey";

    /// <summary>Reads: any admin role.</summary>
    public const string ReadPolicy = "TrafficAdmin.Read";

    /// <summary>Changes: operators only.</summary>
    public const string WritePolicy = "TrafficAdmin.Write";

    /// <summary>Adds both policies. They ask for roles, not for a scheme's details, so another scheme that issues role
    /// claims (a JWT bearer scheme named in <c>Admin:AuthenticationSchemes</c>) works with them unchanged.</summary>
    public static void AddPolicies(AuthorizationOptions authorization, AdminOptions admin)
    {
        string[] schemes = [ApiKeyScheme, .. admin.AuthenticationSchemes];
        authorization.AddPolicy(ReadPolicy, policy => policy
            .AddAuthenticationSchemes(schemes)
            .RequireAuthenticatedUser()
            .RequireRole(AdminRoles.Viewer, AdminRoles.Operator));
        authorization.AddPolicy(WritePolicy, policy => policy
            .AddAuthenticationSchemes(schemes)
            .RequireAuthenticatedUser()
            .RequireRole(AdminRoles.Operator));
    }
}
