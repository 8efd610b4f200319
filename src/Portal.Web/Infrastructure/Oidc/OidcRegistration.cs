using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Validation.AspNetCore;
using Portal.Web.Data;
using Portal.Web.Features.ApiClients;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Startup;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Web.Infrastructure.Oidc;

/// <summary>Token lifetimes and the token keys. Section Portal:Oidc.</summary>
public sealed class OidcOptions
{
    public const string Section = "Portal:Oidc";

    [Range(1, 1440)] public int AccessTokenMinutes { get; set; } = 60;
    [Range(1, 1440)] public int IdentityTokenMinutes { get; set; } = 20;
    [Range(1, 60)] public int AuthorizationCodeMinutes { get; set; } = 5;
    [Range(1, 365)] public int RefreshTokenDays { get; set; } = 14;
    [Range(30, 3650)] public int KeyLifetimeDays { get; set; } = 730;

    public TimeSpan KeyLifetime => TimeSpan.FromDays(KeyLifetimeDays);
}

/// <summary>Requests allowed per client (or per signed-in person) in each window on /api/. Section Portal:Api.</summary>
public sealed class ApiLimitOptions
{
    public const string Section = "Portal:Api";

    [Range(1, 1_000_000)] public int RequestsPerWindow { get; set; } = 600;
    [Range(1, 86_400)] public int WindowSeconds { get; set; } = 60;
}

public static class OidcRegistration
{
    /// <summary>The API audience every access token is issued for and validated against.</summary>
    public const string ApiAudience = "portal-api";

    public static IServiceCollection AddPortalOidc(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OidcOptions>().Bind(configuration.GetSection(OidcOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiLimitOptions>().Bind(configuration.GetSection(ApiLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var oidc = configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();
        var issuer = configuration.GetSection(PortalOptions.Section).Get<PortalOptions>()?.BaseUrl ?? new PortalOptions().BaseUrl;

        services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<PortalDbContext>().ReplaceDefaultEntities<Guid>())
            .AddServer(options =>
            {
                // One issuer for all instances behind the load balancer, so each validates the others' tokens.
                if (Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri))
                    options.SetIssuer(issuerUri);
                options.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/logout");
                options.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .RequireProofKeyForCodeExchange();
                options.RegisterScopes([Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, .. ApiScopes.All]);
                // Access tokens are signed, not encrypted (decision 0054): the portal is their only reader, they carry
                // nothing their holder may not see, and unwrapping an RSA-OAEP key cost more CPU than a whole API call.
                // Codes and refresh tokens, read only by the server itself, stay encrypted.
                options.DisableAccessTokenEncryption();
                options.SetAccessTokenLifetime(TimeSpan.FromMinutes(oidc.AccessTokenMinutes))
                    .SetIdentityTokenLifetime(TimeSpan.FromMinutes(oidc.IdentityTokenMinutes))
                    .SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(oidc.AuthorizationCodeMinutes))
                    .SetRefreshTokenLifetime(TimeSpan.FromDays(oidc.RefreshTokenDays));
                // TLS ends at the load balancer (docs/decisions/0030); the portal itself serves plain HTTP behind it.
                options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler
                    .UseScopedHandler<RefuseScopesNotGranted>()
                    .SetOrder(OpenIddictServerHandlers.Exchange.ValidateScopePermissions.Descriptor.Order - 1)
                    .SetType(OpenIddictServerHandlerType.Custom));
                options.UseAspNetCore()
                    .DisableTransportSecurityRequirement()
                    // A refused authorization request the client cannot be told about is shown as the portal's own error page.
                    .EnableStatusCodePagesIntegration()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.AddAudiences(ApiAudience);
                // Revoking a client deletes its tokens: checking the token's row on every call refuses them at once
                // (one prepared lookup, TokenEntryCheck, in place of EnableTokenEntryValidation's EF query).
                options.AddEventHandler(TokenEntryCheck.Descriptor);
                options.UseAspNetCore();
            });
        services.AddScoped<OidcKeyStore>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, OidcKeyOptionsSetup>();
        services.AddScoped<ApiClientRegistry>();
        services.AddSingleton<ApiClientUse>();
        // PostConfigure: after AddControllersWithViews has added the global AutoValidateAntiforgeryToken filter, whatever the order
        // of registration, so this is the effective antiforgery policy (a bearer-token POST to /api was refused 400 before).
        services.PostConfigure<MvcOptions>(o => o.Filters.Add(new BearerAwareAntiforgeryPolicy()));
        services.AddPortalApiLimits();
        services.AddPortalApiDocs(issuer);
        return services;
    }

    /// <summary>
    /// One fixed window per client on /api/: the client's own limit (carried in its token) or Portal:Api's,
    /// per signed-in person for cookie callers, per address for anonymous ones. Refusals answer 429 with Retry-After.
    /// </summary>
    private static IServiceCollection AddPortalApiLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Api.RateLimit")
                    .LogWarning("Refused {Path} for {Caller}: rate limit reached", http.Request.Path, CallerOf(http).Key);
                return ValueTask.CompletedTask;
            };
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (!http.Request.Path.StartsWithSegments("/api"))
                    return RateLimitPartition.GetNoLimiter("");
                var (key, limit) = CallerOf(http);
                var window = TimeSpan.FromSeconds(http.RequestServices.GetRequiredService<IOptions<ApiLimitOptions>>().Value.WindowSeconds);
                return RateLimitPartition.GetFixedWindowLimiter($"{key}/{limit}/{window.TotalSeconds}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return services;
    }

    private static (string Key, int Limit) CallerOf(HttpContext http)
    {
        var fallback = http.RequestServices.GetRequiredService<IOptions<ApiLimitOptions>>().Value.RequestsPerWindow;
        var user = http.User;
        if (user.FindFirst(PortalClaimTypes.Client)?.Value is { } client)
        {
            var own = int.TryParse(user.FindFirst(PortalClaimTypes.RequestsPerWindow)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : fallback;
            return ($"client:{client}", own);
        }
        if (user.Identity?.IsAuthenticated == true)
            return ($"user:{user.UserId()}", fallback);
        return ($"address:{http.Connection.RemoteIpAddress}", fallback);
    }

    /// <summary>
    /// Before the rate limiter: a bearer token on /api/ is validated here so the limiter knows which client calls.
    /// The endpoint's policy still decides, by the same scheme, what the caller may do.
    /// </summary>
    public static IApplicationBuilder UsePortalApiCallers(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api") && ApiScopes.HasBearerToken(context.Request))
            {
                var result = await context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
                if (result.Succeeded)
                {
                    context.User = result.Principal;
                    await NoteUseAsync(context, result.Principal.FindFirst(PortalClaimTypes.Client)?.Value);
                }
            }
            await next(context);
        });
        app.UseMiddleware<OidcFormActionMiddleware>();
        app.Use((context, next) =>
        {
            // The Scalar reference page starts itself with an inline module script and inline styles; it may, on that page
            // only. Everything it loads still comes from the portal (connect-src 'self'): it works offline and calls nothing else.
            if (context.Request.Path.StartsWithSegments("/api/docs"))
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; font-src 'self' data:; "
                        + "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; "
                        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
                    return Task.CompletedTask;
                });
            return next(context);
        });
        return app;
    }

    /// <summary>"Last used" on the clients page: at most one write per client and minute, whatever the traffic.</summary>
    private static async Task NoteUseAsync(HttpContext context, string? clientId)
    {
        if (clientId is null)
            return;
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        // Within the minute after this instance noted it, nothing to write: no round trip per API call (decision 0053).
        if (!context.RequestServices.GetRequiredService<ApiClientUse>().ShouldNote(clientId, now))
            return;
        var before = now.AddMinutes(-1);
        await context.RequestServices.GetRequiredService<PortalDbContext>().ApiClients
            .Where(c => c.ClientId == clientId && (c.LastUsedAt == null || c.LastUsedAt < before))
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.LastUsedAt, now), context.RequestAborted);
    }
}

/// <summary>
/// The portal validates antiforgery tokens on every unsafe request (cookie callers send X-CSRF-TOKEN), except
/// API calls that carry a bearer token: a browser cannot add that header to a cross-site request, and the
/// endpoint then authenticates by the token only, never by the cookie. Added after the global
/// AutoValidateAntiforgeryToken filter, so it is the effective policy wherever no action says otherwise.
/// </summary>
internal sealed class BearerAwareAntiforgeryPolicy : IAsyncAuthorizationFilter, IAntiforgeryPolicy, IOrderedFilter
{
    public int Order => 1000;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        if (!context.IsEffectivePolicy<IAntiforgeryPolicy>(this))
            return;
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
            return;
        if (request.Path.StartsWithSegments("/api") && ApiScopes.HasBearerToken(request))
            return;
        var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
        try
        {
            await antiforgery.ValidateRequestAsync(context.HttpContext);
        }
        catch (AntiforgeryValidationException)
        {
            context.Result = new AntiforgeryValidationFailedResult();
        }
    }
}

/// <summary>
/// A machine asking for a scope it was not given is told <c>invalid_scope</c>, as RFC 6749 section 5.2 says,
/// before OpenIddict's own permission check (which answers <c>invalid_request</c>) sees the request.
/// </summary>
internal sealed class RefuseScopesNotGranted(IOpenIddictApplicationManager applications)
    : IOpenIddictServerHandler<OpenIddictServerEvents.ValidateTokenRequestContext>
{
    public async ValueTask HandleAsync(OpenIddictServerEvents.ValidateTokenRequestContext context)
    {
        if (!context.Request.IsClientCredentialsGrantType() || string.IsNullOrEmpty(context.ClientId))
            return;
        var application = await applications.FindByClientIdAsync(context.ClientId);
        if (application is null)
            return;
        foreach (var scope in context.Request.GetScopes())
        {
            if (scope is Scopes.OpenId or Scopes.OfflineAccess)
                continue;
            if (!await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope))
            {
                context.Reject(error: Errors.InvalidScope, description: $"This client was not given the scope '{scope}'.");
                return;
            }
        }
    }
}

/// <summary>When this instance last wrote each client's "last used" time, so a busy client is written at most once a minute per instance.</summary>
internal sealed class ApiClientUse
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _noted = new(StringComparer.Ordinal);

    public bool ShouldNote(string clientId, DateTimeOffset now)
    {
        if (_noted.TryGetValue(clientId, out var noted) && noted <= now && now - noted < TimeSpan.FromMinutes(1))
            return false;
        _noted[clientId] = now;
        return true;
    }
}
