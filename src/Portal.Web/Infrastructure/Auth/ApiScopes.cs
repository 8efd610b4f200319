namespace Portal.Web.Infrastructure.Auth;

/// <summary>
/// The OAuth scopes machine clients are granted, and the authorization policy of the same name that
/// every <c>/api/</c> endpoint names: <c>[Authorize(Policy = ApiScopes.DevicesCheck)]</c>.
/// A signed-in person (cookie, antiforgery header) passes a policy by their role, as on the pages;
/// a machine client by a token carrying the scope (see AddPortalApiPolicies).
/// </summary>
public static class ApiScopes
{
    public const string CircularsRead = "circulars.read";
    public const string DevicesCheck = "devices.check";
    public const string DevicesImport = "devices.import";
    public const string VendorCases = "vendor.cases";

    public static readonly string[] All = [CircularsRead, DevicesCheck, DevicesImport, VendorCases];
}

public static class ApiPolicyRegistration
{
    /// <summary>One policy per scope. Until the token server lands, each asks for a signed-in user.</summary>
    public static IServiceCollection AddPortalApiPolicies(this IServiceCollection services)
    {
        var builder = services.AddAuthorizationBuilder();
        foreach (var scope in ApiScopes.All)
            builder.AddPolicy(scope, policy => policy.RequireAuthenticatedUser());
        return services;
    }
}
