using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Portal.Web.Domain;

namespace Portal.Web.Infrastructure.Auth;

/// <summary>
/// The OAuth scopes machine clients are granted, and the authorization policy of the same name that
/// every <c>/api/</c> endpoint names: <c>[Authorize(Policy = ApiScopes.DevicesCheck)]</c>.
/// A signed-in person (cookie, antiforgery header) passes a policy by their role, as on the pages;
/// a client by a token carrying the scope (see AddPortalApiPolicies).
/// </summary>
public static class ApiScopes
{
    public const string CircularsRead = "circulars.read";
    public const string DevicesCheck = "devices.check";
    public const string DevicesImport = "devices.import";
    public const string VendorCases = "vendor.cases";

    public static readonly string[] All = [CircularsRead, DevicesCheck, DevicesImport, VendorCases];

    /// <summary>What each scope lets a client do, in the words the consent screen and the API reference use.</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [CircularsRead] = "Read the circulars you may read",
        [DevicesCheck] = "Check whether a device is banned",
        [DevicesImport] = "Import device inventories",
        [VendorCases] = "Read and answer your vendor organisation's cases",
    };

    /// <summary>
    /// The roles whose holders pass a scope's policy with their cookie; null means every signed-in person.
    /// A token acting for a person needs the scope and this role as well; a machine client's token only the scope.
    /// </summary>
    public static string[]? RolesFor(string scope) => scope switch
    {
        DevicesImport => [Roles.SecurityOfficer, Roles.Administrator],
        VendorCases => [Roles.Vendor, Roles.SecurityOfficer],
        _ => null,
    };

    /// <summary>Bearer token when the request carries one, otherwise the sign-in cookie.</summary>
    public const string Scheme = "portal-api";

    public static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
}

public static class ApiPolicyRegistration
{
    public static IServiceCollection AddPortalApiPolicies(this IServiceCollection services)
    {
        services.AddAuthentication().AddPolicyScheme(ApiScopes.Scheme, "Bearer token or sign-in cookie", options =>
            options.ForwardDefaultSelector = context => ApiScopes.HasBearerToken(context.Request)
                ? OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme
                : IdentityConstants.ApplicationScheme);

        var builder = services.AddAuthorizationBuilder();
        foreach (var scope in ApiScopes.All)
            builder.AddPolicy(scope, policy => policy
                .AddAuthenticationSchemes(ApiScopes.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(scope, ApiScopes.RolesFor(scope))));
        services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, InsufficientScopeResultHandler>();
        return services;
    }
}

public sealed record ScopeRequirement(string Scope, string[]? Roles) : IAuthorizationRequirement
{
    public bool RoleAllows(System.Security.Claims.ClaimsPrincipal user) => Roles is null || Roles.Any(user.IsInRole);
}

internal sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var user = context.User;
        var byCookie = user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == IdentityConstants.ApplicationScheme);
        var allowed = byCookie
            ? requirement.RoleAllows(user)
            : user.HasScope(requirement.Scope) && (user.IsMachineClient() || requirement.RoleAllows(user));
        if (allowed)
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>A token without the scope an endpoint needs is answered 403 with error="insufficient_scope" (RFC 6750).</summary>
internal sealed class InsufficientScopeResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && ApiScopes.HasBearerToken(context.Request)
            && policy.Requirements.OfType<ScopeRequirement>().FirstOrDefault() is { } requirement)
        {
            return context.ForbidAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme, new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictValidationAspNetCoreConstants.Properties.Error] = OpenIddictConstants.Errors.InsufficientScope,
                [OpenIddictValidationAspNetCoreConstants.Properties.ErrorDescription] = $"This call needs the scope {requirement.Scope}.",
                [OpenIddictValidationAspNetCoreConstants.Properties.Scope] = requirement.Scope,
            }));
        }
        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
