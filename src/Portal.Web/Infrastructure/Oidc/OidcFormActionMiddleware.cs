using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Abstractions;

namespace Portal.Web.Infrastructure.Oidc;

/// <summary>
/// The portal's pages allow forms to post only to the portal (CSP form-action 'self'), and browsers apply that
/// to the redirects after the post too. The last step of signing in for a client application, or of consenting
/// or signing out, redirects to the client: those pages also allow that one client's registered address.
/// </summary>
internal sealed class OidcFormActionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (await ClientOriginAsync(context) is { } origin)
        {
            context.Response.OnStarting(() =>
            {
                var policy = context.Response.Headers.ContentSecurityPolicy.ToString();
                if (policy.Contains("form-action 'self'", StringComparison.Ordinal))
                    context.Response.Headers.ContentSecurityPolicy = policy.Replace("form-action 'self'", $"form-action 'self' {origin}", StringComparison.Ordinal);
                return Task.CompletedTask;
            });
        }
        await next(context);
    }

    private static async Task<string?> ClientOriginAsync(HttpContext context)
    {
        var request = context.Request;
        // OpenIddict has already refused these requests when the address is not registered for the client.
        if (request.Path.StartsWithSegments("/connect/authorize") && HttpMethods.IsGet(request.Method))
            return Origin(request.Query[OpenIddictConstants.Parameters.RedirectUri]);
        if (request.Path.StartsWithSegments("/connect/logout") && HttpMethods.IsGet(request.Method))
            return Origin(request.Query[OpenIddictConstants.Parameters.PostLogoutRedirectUri]);

        if (!request.Path.StartsWithSegments("/account/sign-in") && !request.Path.StartsWithSegments("/account/two-factor"))
            return null;
        string? returnUrl = request.Query["ReturnUrl"];
        if (returnUrl is null && HttpMethods.IsPost(request.Method) && request.HasFormContentType)
            returnUrl = (await request.ReadFormAsync(context.RequestAborted))["ReturnUrl"];
        if (returnUrl is null || !returnUrl.StartsWith("/connect/authorize?", StringComparison.Ordinal))
            return null;
        var query = QueryHelpers.ParseQuery(returnUrl[returnUrl.IndexOf('?', StringComparison.Ordinal)..]);
        string? clientId = query.TryGetValue(OpenIddictConstants.Parameters.ClientId, out var c) ? c.ToString() : null;
        string? redirectUri = query.TryGetValue(OpenIddictConstants.Parameters.RedirectUri, out var r) ? r.ToString() : null;
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(redirectUri))
            return null;
        // Resolved here, not per request: building OpenIddict's manager cost every page a few per cent of its CPU.
        var applications = context.RequestServices.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(clientId, context.RequestAborted);
        return application is not null && await applications.ValidateRedirectUriAsync(application, redirectUri, context.RequestAborted)
            ? Origin(redirectUri)
            : null;
    }

    private static string? Origin(string? uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
            ? parsed.GetLeftPart(UriPartial.Authority)
            : null;
}
