using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Bench;

/// <summary>
/// Sign-in cookies for many staff accounts at once, made with the portal's own cookie format and the shared
/// data-protection key ring, carrying the claims the sign-in page would put in them. Signing in through the
/// page would spend the run on password hashing, which is not what is measured. Minted just before use: the
/// security stamp is checked again after five minutes, and a load generator does not keep renewed cookies.
/// </summary>
public sealed class SignedIn(BenchDatabase bench)
{
    public sealed record Account(Guid UserId, string Email, string DisplayName, Guid UnitId, string SecurityStamp);

    public async Task<List<Account>> AccountsAsync(IEnumerable<Guid> userIds)
    {
        await using var conn = await bench.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT id, email, display_name, unit_id, security_stamp FROM users WHERE id = ANY($1) ORDER BY id", conn)
        {
            Parameters = { new() { Value = userIds.ToArray() } },
        };
        var accounts = new List<Account>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            accounts.Add(new Account(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetString(4)));
        return accounts;
    }

    public IServiceProvider Services => bench.Services;

    /// <summary>The value of a "Cookie:" header that signs the staff member in.</summary>
    public string Cookie(Account account)
    {
        var now = DateTimeOffset.UtcNow;
        var ticket = new AuthenticationTicket(Principal(account),
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(8) }, IdentityConstants.ApplicationScheme);
        var cookieOptions = bench.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        return $"portal.auth={cookieOptions.TicketDataFormat.Protect(ticket)}";
    }

    /// <summary>The claims the sign-in page puts in the cookie of a staff member.</summary>
    public ClaimsPrincipal Principal(Account account)
    {
        var identityOptions = bench.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var identity = new ClaimsIdentity(IdentityConstants.ApplicationScheme, identityOptions.UserNameClaimType, identityOptions.RoleClaimType);
        identity.AddClaim(new Claim(identityOptions.UserIdClaimType, account.UserId.ToString()));
        identity.AddClaim(new Claim(identityOptions.UserNameClaimType, account.Email));
        identity.AddClaim(new Claim(identityOptions.EmailClaimType, account.Email));
        identity.AddClaim(new Claim(identityOptions.SecurityStampClaimType, account.SecurityStamp));
        identity.AddClaim(new Claim(identityOptions.RoleClaimType, Roles.Staff));
        identity.AddClaim(new Claim(PortalClaimTypes.DisplayName, account.DisplayName));
        identity.AddClaim(new Claim(PortalClaimTypes.UnitId, account.UnitId.ToString()));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// Opens a page once as a browser would, and returns the cookies to send from then on (sign-in and the
    /// antiforgery cookie) and the form's antiforgery token, if the page has a form.
    /// </summary>
    public static async Task<(string Cookie, string? FormToken, string Html)> OpenAsync(HttpClient http, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
            foreach (var c in set.Where(c => c.StartsWith("portal.antiforgery=", StringComparison.Ordinal)))
                cookie += "; " + c[..c.IndexOf(';')];
        var marker = "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"";
        var at = html.IndexOf(marker, StringComparison.Ordinal);
        string? token = null;
        if (at >= 0)
        {
            var start = at + marker.Length;
            token = html[start..html.IndexOf('"', start)];
        }
        return (cookie, token, html);
    }
}
