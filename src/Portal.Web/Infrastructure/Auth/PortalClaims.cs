using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Web.Domain;

namespace Portal.Web.Infrastructure.Auth;

public static class PortalClaimTypes
{
    public const string DisplayName = "portal:name";
    public const string TwoFactorEnrolled = "portal:2fa";
    public const string UnitId = "portal:unit";
    public const string VendorOrganisationId = "portal:vendor";

    /// <summary>On API tokens: the client's id, and "true" when no person stands behind the token (client credentials).</summary>
    public const string Client = "portal:client";
    public const string Machine = "portal:machine";
    public const string RequestsPerWindow = "portal:rate";
}

/// <summary>Puts what every request needs to know about the user into the cookie, so no request needs a lookup for it.</summary>
internal sealed class PortalClaimsPrincipalFactory(
    UserManager<PortalUser> users, RoleManager<PortalRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser, PortalRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(PortalClaimTypes.DisplayName, user.DisplayName));
        if (user.TwoFactorEnabled)
            identity.AddClaim(new Claim(PortalClaimTypes.TwoFactorEnrolled, "true"));
        if (user.UnitId is { } unit)
            identity.AddClaim(new Claim(PortalClaimTypes.UnitId, unit.ToString()));
        if (user.VendorOrganisationId is { } vendor)
            identity.AddClaim(new Claim(PortalClaimTypes.VendorOrganisationId, vendor.ToString()));
        return identity;
    }
}

public static class ClaimsPrincipalExtensions
{
    /// <summary>The person (cookie, or the "sub" of a token acting for them); for a machine client's token, the client's id.</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub") ?? throw new InvalidOperationException("No signed-in user."));

    public static bool IsMachineClient(this ClaimsPrincipal user) => user.HasClaim(PortalClaimTypes.Machine, "true");

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(PortalClaimTypes.DisplayName) ?? user.Identity?.Name ?? "";

    public static bool MustEnrolTwoFactor(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && !user.HasClaim(PortalClaimTypes.TwoFactorEnrolled, "true")
        && Roles.RequiringTwoFactor.Any(user.IsInRole);

    public static bool CanReadDrafts(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.SecurityOfficer) || user.IsInRole(Roles.Approver);
}

/// <summary>
/// Officers, approvers and administrators reach nothing but enrolment (and sign-out) until they have
/// an authenticator: the rule lives here once rather than on every controller.
/// </summary>
internal sealed class TwoFactorEnrolmentMiddleware(RequestDelegate next)
{
    private static readonly PathString[] Allowed =
        ["/account/two-factor-setup", "/account/sign-out", "/account/sign-in", "/health", "/error", "/css", "/js", "/img", "/favicon.ico"];

    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.MustEnrolTwoFactor() && !Allowed.Any(p => context.Request.Path.StartsWithSegments(p)))
        {
            context.Response.Redirect("/account/two-factor-setup");
            return Task.CompletedTask;
        }
        return next(context);
    }
}
