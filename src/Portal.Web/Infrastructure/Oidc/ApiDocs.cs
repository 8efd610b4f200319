using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Infrastructure.Oidc;

/// <summary>
/// The OpenAPI document of every /api/ endpoint (/openapi/v1.json), with the OAuth flows and, on each
/// operation, the scope its policy names; and the Scalar reference page over it at /api/docs, served
/// from the Scalar package's own files (no CDN).
/// </summary>
public static class ApiDocs
{
    private const string SchemeName = "oauth2";

    internal static IServiceCollection AddPortalApiDocs(this IServiceCollection services, string issuer)
    {
        var baseUrl = issuer.TrimEnd('/');
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => IsApiPath(description.RelativePath);
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Advisory Portal API",
                    Version = "v1",
                    Description = "Machine access to the portal. Get a token from /connect/token (client_credentials for machine clients, "
                        + "authorization_code with PKCE for applications acting for a person) and send it as a Bearer token. "
                        + "Signed-in people may call the same endpoints with their cookie and the X-CSRF-TOKEN header.",
                };
                var scopes = ApiScopes.Descriptions.ToDictionary(p => p.Key, p => p.Value);
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OAuth2,
                    Description = "OAuth 2.0 tokens issued by this portal (discovery: /.well-known/openid-configuration).",
                    Flows = new OpenApiOAuthFlows
                    {
                        ClientCredentials = new OpenApiOAuthFlow { TokenUrl = new Uri($"{baseUrl}/connect/token"), Scopes = scopes },
                        AuthorizationCode = new OpenApiOAuthFlow
                        {
                            AuthorizationUrl = new Uri($"{baseUrl}/connect/authorize"),
                            TokenUrl = new Uri($"{baseUrl}/connect/token"),
                            RefreshUrl = new Uri($"{baseUrl}/connect/token"),
                            Scopes = scopes,
                        },
                    },
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var scopes = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null && ApiScopes.All.Contains(p)).Cast<string>().ToList();
                var roles = metadata.OfType<IAuthorizeData>().Select(a => a.Roles).Where(r => !string.IsNullOrEmpty(r)).ToList();
                if (scopes.Count > 0)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = scopes });
                    operation.Description = $"{operation.Description}\n\nScope: {string.Join(", ", scopes)}.".Trim();
                }
                else if (roles.Count > 0)
                {
                    operation.Description = $"{operation.Description}\n\nSigned-in people only (cookie and X-CSRF-TOKEN), roles: {string.Join("; ", roles)}. No token is accepted.".Trim();
                }
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>The paths the document describes: everything under /api/ but the reference page itself.</summary>
    public static bool IsApiPath(string? relativePath) =>
        relativePath is not null && relativePath.StartsWith("api/", StringComparison.OrdinalIgnoreCase)
        && !relativePath.StartsWith("api/docs", StringComparison.OrdinalIgnoreCase);

    public static WebApplication MapPortalApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/api/docs", options => options
                .WithTitle("Advisory Portal API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableDefaultFonts())
            .AllowAnonymous();
        return app;
    }
}
