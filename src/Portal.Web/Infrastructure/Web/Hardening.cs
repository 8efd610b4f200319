using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Infrastructure.Web;

/// <summary>
/// Sessions that end when their owner signs out, limits on guessing at the anonymous doors, and what the
/// portal needs to run behind a TLS-terminating proxy (docs/decisions/0020).
/// </summary>
public static class Hardening
{
    /// <summary>The rate-limiter policy on sign-in, the two-factor step and the family links: per client address.</summary>
    public const string AnonymousDoors = "anonymous-doors";

    /// <summary>"Portal:RateLimits:AnonymousPerMinute": requests per client address and minute to the anonymous doors (20).</summary>
    public const string PerMinuteSetting = "Portal:RateLimits:AnonymousPerMinute";

    /// <summary>"Portal:Proxy:KnownProxies": addresses of the proxies whose X-Forwarded-For/-Proto are believed.</summary>
    public const string KnownProxiesSetting = "Portal:Proxy:KnownProxies";

    public static IServiceCollection AddPortalHardening(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in configuration.GetSection(KnownProxiesSetting).Get<string[]>() ?? [])
            {
                if (!IPAddress.TryParse(proxy, out var address))
                    throw new StartupException($"{KnownProxiesSetting} holds '{proxy}', which is not an IP address.");
                o.KnownProxies.Add(address);
            }
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));

        services.AddSingleton<AccountThrottle>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            var perMinute = configuration.GetValue(PerMinuteSetting, 20);
            o.AddPolicy(AnonymousDoors, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            var previous = o.OnRejected;
            o.OnRejected = async (rejected, ct) =>
            {
                if (rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName != AnonymousDoors && previous is not null)
                {
                    await previous(rejected, ct);
                    return;
                }
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
                rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            };
        });

        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<PortalOptions>>((cookie, portal) =>
        {
            // Behind a TLS-terminating proxy the request the app sees may be plain http: the public address decides.
            if (portal.Value.BaseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            // A relative address built from the path alone: never from the Host header, which the client chooses.
            cookie.Events.OnRedirectToLogin = context =>
            {
                var request = context.Request;
                if (request.Path.StartsWithSegments("/api"))
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                else
                    context.Response.Redirect(cookie.LoginPath + QueryString.Create(cookie.ReturnUrlParameter,
                        request.PathBase + request.Path + request.QueryString));
                return Task.CompletedTask;
            };
            var stampCheck = cookie.Events.OnValidatePrincipal;
            cookie.Events.OnValidatePrincipal = async context =>
            {
                if (StampCheckDue(context))
                    await stampCheck(context);
                if (context.Principal is { } principal && !await SessionIsCurrentAsync(context.HttpContext, principal))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                }
            };
        });
        return services;
    }

    /// <summary>Forwarded headers from the known proxies first, so the client address and scheme are the real ones everywhere after.</summary>
    public static IApplicationBuilder UsePortalForwardedHeaders(this IApplicationBuilder app)
    {
        app.UseForwardedHeaders();
        var portal = app.ApplicationServices.GetRequiredService<IOptions<PortalOptions>>().Value;
        if (portal.BaseUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            app.UseHsts();
        return app;
    }

    /// <summary>
    /// Identity's validator re-reads the account only once its interval has passed since the cookie was issued, but
    /// building it (sign-in manager, user manager and their services) cost every signed-in request about a tenth of
    /// its CPU: the same test first, with the same clock (docs/decisions/0062-the-circular-page-at-the-peak.md).
    /// </summary>
    private static bool StampCheckDue(CookieValidatePrincipalContext context)
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
        var now = (options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        return context.Properties.IssuedUtc is not { } issued || now.Subtract(issued) > options.ValidationInterval;
    }

    /// <summary>
    /// A session is current while the account's security stamp is the one it was issued with. Signing out
    /// changes the stamp, so every cookie of that account, saved or stolen, is worth nothing afterwards;
    /// so do a password or two-factor reset and a change of roles. One statement (two index probes) per request.
    /// </summary>
    private static async Task<bool> SessionIsCurrentAsync(HttpContext http, ClaimsPrincipal principal)
    {
        var stampType = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)) return false;
        var stamp = principal.FindFirstValue(stampType);
        // Asked on every signed-in request, the acknowledgement storm's included: one prepared statement on the app's data
        // source, not a DbContext, whose construction cost several times the lookup
        // (docs/decisions/0065-what-an-acknowledgement-costs.md).
        // The path of the person's unit comes with it: the circular pages' Reader needs it next, and a round trip costs
        // more than the lookup (docs/decisions/0064-the-circular-page-rendered-once.md).
        var unitId = Guid.TryParse(principal.FindFirstValue(PortalClaimTypes.UnitId), out var unit) ? unit : (Guid?)null;
        await using var command = http.RequestServices.GetRequiredService<NpgsqlDataSource>().CreateCommand(StampAndUnitPathOf);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)unitId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
        if (!await reader.ReadAsync(http.RequestAborted) || reader.IsDBNull(0) || reader.GetString(0) != stamp)
            return false;
        if (unitId is { } id)
            SessionUnit.Hold(http, new SessionUnit(principal, id, reader.IsDBNull(1) ? null : reader.GetString(1)));
        return true;
    }

    private const string StampAndUnitPathOf = "SELECT security_stamp, (SELECT path FROM units WHERE id = $2) FROM users WHERE id = $1";
}

/// <summary>
/// Failed sign-ins per account (known or not, so the answer never tells which): after
/// <see cref="Limit"/> failures within <see cref="Window"/> the account's door is shut until the window ends.
/// In memory per instance: with several instances the limit is per instance, on top of Identity's lockout in the database.
/// </summary>
public sealed class AccountThrottle(TimeProvider clock)
{
    public const int Limit = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the account must wait, or null when it may try.</summary>
    public TimeSpan? Wait(string account)
    {
        if (!_failures.TryGetValue(Key(account), out var entry)) return null;
        var until = entry.Since + Window;
        var now = clock.GetUtcNow();
        if (now >= until)
        {
            _failures.TryRemove(Key(account), out _);
            return null;
        }
        return entry.Failures >= Limit ? until - now : null;
    }

    /// <summary>Counts a failure; answers the wait when this one shut the door.</summary>
    public TimeSpan? Failed(string account)
    {
        var now = clock.GetUtcNow();
        var entry = _failures.AddOrUpdate(Key(account), _ => (1, now),
            (_, old) => now >= old.Since + Window ? (1, now) : (old.Failures + 1, old.Since));
        return entry.Failures >= Limit ? entry.Since + Window - now : null;
    }

    public void Succeeded(string account) => _failures.TryRemove(Key(account), out _);

    private static string Key(string account) => account.Trim().ToUpperInvariant();
}

/// <summary>Too many attempts: a 429 with Retry-After and the message on the same form.</summary>
public sealed class TooManyAttemptsException(TimeSpan wait) : Exception(Say(wait).ToString())
{
    public TimeSpan Wait { get; } = wait;

    public Sentence Reason { get; } = Say(wait);

    private static Sentence Say(TimeSpan wait) => new("Too many attempts. For your account's safety, wait {0} minute(s) before trying again.",
        Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes)));
}
