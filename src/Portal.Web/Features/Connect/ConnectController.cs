using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Oidc;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OidcErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;

namespace Portal.Web.Features.Connect;

public sealed record ConsentModel(string ApplicationName, string? VendorName, IReadOnlyList<KeyValuePair<string, string>> Scopes,
    IReadOnlyList<KeyValuePair<string, string>> Parameters);

public sealed record SignOutModel(string? ApplicationName, IReadOnlyList<KeyValuePair<string, string>> Parameters);

/// <summary>
/// The interactive half of the token server. OpenIddict validates each request (client, redirect address,
/// PKCE, scopes) before it reaches these actions; here the portal decides who the token is for: the person
/// signed in with the portal's own sign-in (two-factor included), after consent for third-party applications,
/// or the machine client itself. Docs: docs/decisions/0030-token-server.md.
/// </summary>
[AllowAnonymous]
public sealed class ConnectController(
    PortalDbContext db, UserManager<PortalUser> users, SignInManager<PortalUser> signIn,
    IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations,
    TimeProvider clock, ILogger<ConnectController> logger) : Controller
{
    [HttpGet("~/connect/authorize")]
    public async Task<IActionResult> Authorize(CancellationToken ct)
    {
        var request = OidcRequest();
        var person = await SignedInPersonAsync(request);
        if (person.Challenge is { } challenge)
            return challenge;
        var (user, client, application) = (person.User!, person.Client!, person.Application!);
        var found = await PermanentAuthorizationsAsync(user, application, request.GetScopes(), ct);

        var consent = await applications.GetConsentTypeAsync(application, ct);
        if (consent == ConsentTypes.Implicit || (found.Count > 0 && !request.HasPromptValue(PromptValues.Consent)))
            return await IssueForPersonAsync(user, client, application, request.GetScopes(), found.LastOrDefault(), ct);
        if (request.HasPromptValue(PromptValues.None))
            return Refuse(OidcErrors.ConsentRequired, "The person has not yet allowed this application.");

        var vendor = client.VendorOrganisationId is { } vendorId
            ? await db.VendorOrganisations.Where(v => v.Id == vendorId).Select(v => v.Name).FirstOrDefaultAsync(ct)
            : null;
        return View("Consent", new ConsentModel(client.Name, vendor,
            request.GetScopes().Where(ApiScopes.Descriptions.ContainsKey).Select(s => KeyValuePair.Create(s, ApiScopes.Descriptions[s])).ToList(),
            Request.Query.Select(p => KeyValuePair.Create(p.Key, p.Value.ToString())).ToList()));
    }

    /// <summary>The consent form posts the authorization request back with the person's answer.</summary>
    [HttpPost("~/connect/authorize")]
    public async Task<IActionResult> Decide([FromForm(Name = "decision")] string? decision, CancellationToken ct)
    {
        var request = OidcRequest();
        var person = await SignedInPersonAsync(request);
        if (person.Challenge is { } challenge)
            return challenge;
        if (decision != "allow")
        {
            logger.LogInformation("{Person} refused access to client {ClientId}", person.User!.Id, request.ClientId);
            return Refuse(OidcErrors.AccessDenied, "The person did not allow this application.");
        }
        var found = await PermanentAuthorizationsAsync(person.User!, person.Application!, request.GetScopes(), ct);
        return await IssueForPersonAsync(person.User!, person.Client!, person.Application!, request.GetScopes(), found.LastOrDefault(), ct);
    }

    [HttpPost("~/connect/token"), IgnoreAntiforgeryToken, Produces("application/json")]
    public async Task<IActionResult> Token(CancellationToken ct)
    {
        var request = OidcRequest();
        var client = await db.ApiClients.FirstOrDefaultAsync(c => c.ClientId == request.ClientId && c.RevokedAt == null, ct);
        if (client is null)
            return Refuse(OidcErrors.InvalidClient, "The client is not registered or has been revoked.");

        ClaimsIdentity identity;
        if (request.IsClientCredentialsGrantType())
        {
            identity = NewIdentity();
            identity.SetClaim(Claims.Subject, client.Id.ToString())
                .SetClaim(Claims.Name, client.Name)
                .SetClaim(PortalClaimTypes.Machine, "true");
            // A vendor's system acts for its organisation: the visibility rules treat it as that vendor's users.
            if (client.Kind == ApiClientKind.VendorSystem && client.VendorOrganisationId is { } vendor)
                identity.SetClaims(Claims.Role, [Roles.Vendor]).SetClaim(PortalClaimTypes.VendorOrganisationId, vendor.ToString());
            var scopes = request.GetScopes();
            identity.SetScopes(scopes.IsEmpty ? [.. client.Scopes] : scopes);
        }
        else if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var granted = await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = granted.Principal?.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
            if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user) || !MaySignInTo(user, client))
                return Refuse(OidcErrors.InvalidGrant, "The person may no longer sign in to this application.");
            identity = new ClaimsIdentity(granted.Principal!.Claims, TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            await DescribePersonAsync(identity, user);
        }
        else
        {
            return Refuse(OidcErrors.UnsupportedGrantType, "This grant type is not supported.");
        }

        Stamp(identity, client);
        await db.ApiClients.Where(c => c.Id == client.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastUsedAt, clock.GetUtcNow()), ct);
        return SignIn(new ClaimsPrincipal(identity), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    [HttpGet("~/connect/logout")]
    public async Task<IActionResult> SignOutPage(CancellationToken ct)
    {
        var request = OidcRequest();
        var application = request.ClientId is { } clientId ? await applications.FindByClientIdAsync(clientId, ct) : null;
        return View("SignOut", new SignOutModel(
            application is null ? null : await applications.GetDisplayNameAsync(application, ct),
            Request.Query.Select(p => KeyValuePair.Create(p.Key, p.Value.ToString())).ToList()));
    }

    [HttpPost("~/connect/logout")]
    public async Task<IActionResult> SignOutConfirmed()
    {
        await signIn.SignOutAsync();
        // OpenIddict sends the browser on to the client's registered post-logout address, or here when none was given.
        return SignOut(new AuthenticationProperties { RedirectUri = "/" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private OpenIddictRequest OidcRequest() =>
        HttpContext.GetOpenIddictServerRequest() ?? throw new Infrastructure.Web.NotFoundException("The OpenID Connect request");

    private sealed record Person(PortalUser? User, ApiClient? Client, object? Application, IActionResult? Challenge);

    private async Task<Person> SignedInPersonAsync(OpenIddictRequest request)
    {
        var cookie = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = cookie.Succeeded ? await users.GetUserAsync(cookie.Principal) : null;
        if (user is null || (HttpMethods.IsGet(Request.Method) && request.HasPromptValue(PromptValues.Login)))
        {
            if (request.HasPromptValue(PromptValues.None))
                return new(null, null, null, Refuse(OidcErrors.LoginRequired, "Nobody is signed in."));
            // Back to this request after the portal's sign-in; without prompt=login, or it would ask again and again.
            var parameters = Request.Query.Where(p => p.Key != Parameters.Prompt).ToList();
            var prompt = string.Join(' ', request.GetPromptValues().Remove(PromptValues.Login));
            if (prompt.Length > 0)
                parameters.Add(KeyValuePair.Create(Parameters.Prompt, new Microsoft.Extensions.Primitives.StringValues(prompt)));
            return new(null, null, null, Challenge(new AuthenticationProperties { RedirectUri = Request.PathBase + Request.Path + QueryString.Create(parameters) },
                IdentityConstants.ApplicationScheme));
        }
        var client = await db.ApiClients.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == request.ClientId && c.RevokedAt == null);
        var application = request.ClientId is { } id ? await applications.FindByClientIdAsync(id) : null;
        if (client is null || application is null)
            return new(null, null, null, Refuse(OidcErrors.InvalidClient, "The client is not registered or has been revoked."));
        if (!MaySignInTo(user, client))
            return new(null, null, null, Refuse(OidcErrors.AccessDenied, "Only the vendor organisation's own people may sign in to its application."));
        return new(user, client, application, null);
    }

    /// <summary>A vendor's application signs in that vendor's people only.</summary>
    private static bool MaySignInTo(PortalUser user, ApiClient client) =>
        client.Kind != ApiClientKind.VendorSystem || user.VendorOrganisationId == client.VendorOrganisationId;

    private async Task<List<object>> PermanentAuthorizationsAsync(PortalUser user, object application, ImmutableArray<string> scopes, CancellationToken ct)
    {
        var found = new List<object>();
        var applicationId = await applications.GetIdAsync(application, ct);
        await foreach (var authorization in authorizations.FindAsync(user.Id.ToString(), applicationId, Statuses.Valid, AuthorizationTypes.Permanent, scopes, ct))
            found.Add(authorization);
        return found;
    }

    private async Task<IActionResult> IssueForPersonAsync(PortalUser user, ApiClient client, object application, ImmutableArray<string> scopes,
        object? authorization, CancellationToken ct)
    {
        var identity = NewIdentity();
        await DescribePersonAsync(identity, user);
        identity.SetScopes(scopes);
        // Remembered, so the person is asked once per application and set of scopes.
        authorization ??= await authorizations.CreateAsync(identity, user.Id.ToString(), (await applications.GetIdAsync(application, ct))!,
            AuthorizationTypes.Permanent, scopes, ct);
        identity.SetAuthorizationId(await authorizations.GetIdAsync(authorization, ct));
        Stamp(identity, client);
        logger.LogInformation("{Person} signed in to client {ClientId}", user.Id, client.ClientId);
        return SignIn(new ClaimsPrincipal(identity), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>What the portal's handlers read from a person's token: the same as from their cookie.</summary>
    private async Task DescribePersonAsync(ClaimsIdentity identity, PortalUser user)
    {
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(PortalClaimTypes.DisplayName, user.DisplayName)
            .SetClaim(PortalClaimTypes.UnitId, user.UnitId?.ToString())
            .SetClaim(PortalClaimTypes.VendorOrganisationId, user.VendorOrganisationId?.ToString())
            .SetClaim(PortalClaimTypes.TwoFactorEnrolled, user.TwoFactorEnabled ? "true" : null)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)]);
    }

    private static ClaimsIdentity NewIdentity() => new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    private static void Stamp(ClaimsIdentity identity, ApiClient client)
    {
        identity.SetClaim(PortalClaimTypes.Client, client.ClientId)
            .SetClaim(PortalClaimTypes.RequestsPerWindow, client.RequestsPerWindow?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        identity.SetResources(OidcRegistration.ApiAudience);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Name or Claims.Email or Claims.Role when claim.Subject!.HasScope(Scopes.Profile) => [Destinations.AccessToken, Destinations.IdentityToken],
            "AspNet.Identity.SecurityStamp" => [],
            _ => [Destinations.AccessToken],
        });
    }

    private ForbidResult Refuse(string error, string description)
    {
        logger.LogInformation("Refused {Endpoint} for client {ClientId}: {Error} ({Description})", Request.Path, HttpContext.GetOpenIddictServerRequest()?.ClientId, error, description);
        return Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
