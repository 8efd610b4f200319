using System.Security.Claims;
using Portal.Web.Domain;

namespace Portal.Web.Infrastructure.Auth;

/// <summary>
/// Who is asking: the one way a handler learns it. In a request it is the signed-in person (cookie) or the API
/// token's subject; outside a request (the scheduler, a command-line task, a test arranging state) nobody, unless
/// the caller assumed someone with <see cref="CurrentUser.Assume"/>. Handlers take this instead of a
/// <see cref="ClaimsPrincipal"/> or an actor id carried on the message, so no message can claim to come from
/// someone else and no controller has to remember to fill one in.
/// </summary>
public interface ICurrentUser
{
    /// <summary>The claims as the authentication handler produced them (anonymous when nobody is signed in).</summary>
    ClaimsPrincipal Principal { get; }

    bool IsSignedIn { get; }

    /// <summary>The person's id (for a machine client's token, the client's id). Throws when nobody is signed in.</summary>
    Guid Id { get; }

    Guid? UnitId { get; }

    Guid? VendorOrganisationId { get; }

    /// <summary>A client-credentials token: no person stands behind the request.</summary>
    bool IsMachineClient { get; }

    bool IsInRole(string role);

    /// <summary>Officers and approvers read drafts and working copies.</summary>
    bool CanReadDrafts { get; }

    /// <summary>
    /// The path of <see cref="UnitId"/> when this request's session check read it (one statement with the security stamp),
    /// else null: the caller looks it up.
    /// </summary>
    string? UnitPathReadWithSession { get; }
}

/// <summary>
/// What the cookie session check read about the signed-in person's unit, for the rest of the request: the unit's path, so
/// that the request's <c>Reader</c> does not ask again (docs/decisions/0064-the-circular-page-rendered-once.md).
/// </summary>
public sealed record SessionUnit(ClaimsPrincipal Principal, Guid UnitId, string? Path)
{
    private static readonly object Key = new();

    public static void Hold(HttpContext http, SessionUnit unit) => http.Items[Key] = unit;

    public static SessionUnit? Of(HttpContext? http) => http?.Items[Key] as SessionUnit;
}

/// <summary>The request's user, or the one assumed for work outside a request. Scoped: one per request or scope.</summary>
public sealed class CurrentUser(IHttpContextAccessor http) : ICurrentUser
{
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());
    private ClaimsPrincipal? _assumed;

    public ClaimsPrincipal Principal => _assumed ?? http.HttpContext?.User ?? Anonymous;

    public bool IsSignedIn => Principal.Identity?.IsAuthenticated == true;

    public Guid Id => IsSignedIn ? Principal.UserId() : throw new InvalidOperationException("Nobody is signed in.");

    public Guid? UnitId => GuidClaim(PortalClaimTypes.UnitId);

    public Guid? VendorOrganisationId => GuidClaim(PortalClaimTypes.VendorOrganisationId);

    public bool IsMachineClient => Principal.IsMachineClient();

    public bool IsInRole(string role) => Principal.IsInRole(role);

    public bool CanReadDrafts => Principal.CanReadDrafts();

    // Only for the principal and unit the check read it for: an assumed principal, or another unit, looks it up.
    public string? UnitPathReadWithSession =>
        SessionUnit.Of(http.HttpContext) is { } held && ReferenceEquals(held.Principal, Principal) && held.UnitId == UnitId ? held.Path : null;

    /// <summary>Acts as <paramref name="principal"/> for the rest of this scope (work outside a request).</summary>
    public void Assume(ClaimsPrincipal principal) => _assumed = principal;

    /// <summary>A principal for a user id and roles, for work outside a request (tests arranging state, tasks).</summary>
    public static ClaimsPrincipal For(Guid userId, params string[] roles) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userId.ToString()), .. roles.Select(r => new Claim(ClaimTypes.Role, r))],
            authenticationType: "assumed"));

    private Guid? GuidClaim(string type) => Guid.TryParse(Principal.FindFirstValue(type), out var id) ? id : null;
}

public static class CurrentUserRegistration
{
    public static IServiceCollection AddPortalCurrentUser(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<CurrentUser>());
        return services;
    }
}
