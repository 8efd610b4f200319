using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Abstractions;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Web.Features.ApiClients;

/// <summary>
/// Keeps a client's two halves together: OpenIddict's application (hashed secret, permissions, redirect URIs),
/// which the token endpoint enforces, and the portal's <see cref="ApiClient"/> row with the same id.
/// </summary>
public sealed class ApiClientRegistry(PortalDbContext db, IOpenIddictApplicationManager applications, TimeProvider clock)
{
    /// <summary>The scopes each kind of client may be given.</summary>
    public static IReadOnlyList<string> ScopesFor(ApiClientKind kind) => kind switch
    {
        ApiClientKind.MdmSystem => [ApiScopes.CircularsRead, ApiScopes.DevicesCheck, ApiScopes.DevicesImport],
        ApiClientKind.VendorSystem => [ApiScopes.CircularsRead, ApiScopes.VendorCases],
        _ => ApiScopes.All,
    };

    public async Task<(ApiClient Client, string Secret)> RegisterAsync(string name, ApiClientKind kind, IReadOnlyCollection<string> scopes,
        Guid? vendorOrganisationId, IReadOnlyCollection<string> redirectUris, int? requestsPerWindow, Guid? by, CancellationToken ct,
        string? clientId = null, string? secret = null)
    {
        clientId ??= $"{Slug(name)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        secret ??= NewSecret();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            DisplayName = name.Trim(),
            ClientType = ClientTypes.Confidential,
            // People signing in to the organisation's own applications are not asked; anyone else's application asks once.
            ConsentType = kind == ApiClientKind.InternalApp ? ConsentTypes.Implicit : ConsentTypes.Explicit,
        };
        descriptor.Permissions.Add(Permissions.Endpoints.Token);
        if (kind != ApiClientKind.InternalApp)
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        if (redirectUris.Count > 0)
        {
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            foreach (var uri in redirectUris)
            {
                descriptor.RedirectUris.Add(new Uri(uri));
                descriptor.PostLogoutRedirectUris.Add(new Uri(uri));
            }
        }
        foreach (var scope in scopes)
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);

        var application = await applications.CreateAsync(descriptor, ct);
        var id = Guid.Parse(await applications.GetIdAsync(application, ct) ?? throw new InvalidOperationException("OpenIddict gave the client no id."));
        var client = ApiClient.Register(id, clientId, name, kind, vendorOrganisationId, scopes, redirectUris, requestsPerWindow, by, clock.GetUtcNow());
        db.ApiClients.Add(client);
        await db.SaveChangesAsync(ct);
        return (client, secret);
    }

    /// <summary>A new secret; the old one stops working at once. Tokens already issued run out at their lifetime.</summary>
    public async Task<string> RotateSecretAsync(ApiClient client, CancellationToken ct)
    {
        client.SecretRotated(clock.GetUtcNow());
        var application = await applications.FindByIdAsync(client.Id.ToString(), ct) ?? throw new DomainException("This client is revoked.");
        var secret = NewSecret();
        await applications.UpdateAsync(application, secret, ct);
        await db.SaveChangesAsync(ct);
        return secret;
    }

    /// <summary>Deletes the OpenIddict application with its authorizations and tokens (so issued tokens fail too); the portal's row stays as history.</summary>
    public async Task RevokeAsync(ApiClient client, Guid? by, CancellationToken ct)
    {
        client.Revoke(by, clock.GetUtcNow());
        if (await applications.FindByIdAsync(client.Id.ToString(), ct) is { } application)
            await applications.DeleteAsync(application, ct);
        await db.SaveChangesAsync(ct);
    }

    private static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Slug(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
                slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
            if (slug.Length >= 40)
                break;
        }
        var text = slug.ToString().Trim('-');
        return text.Length == 0 ? "client" : text;
    }
}
