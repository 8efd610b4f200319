using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Features.Acknowledgements;

/// <summary>
/// Signed, expiring links for family members, who have no account. The token is protected with the
/// shared data-protection key ring (so any instance can read it) and names the circular, the revision
/// that asked, and the dependent. Single use comes from the acknowledgement row itself: once it is
/// acknowledged, the link only says so.
/// </summary>
public sealed class FamilyLinks(IDataProtectionProvider protection, IOptions<PortalOptions> options, TimeProvider clock)
{
    public sealed record Claim(Guid CircularId, int RevisionNumber, Guid DependentId);

    public enum Problem { None, Forged, Expired }

    private ITimeLimitedDataProtector Protector => protection.CreateProtector("Portal.FamilyLink.v1").ToTimeLimitedDataProtector();

    public string CreateToken(Guid circularId, int revisionNumber, Guid dependentId)
    {
        var payload = Encoding.UTF8.GetBytes($"{circularId:N}|{revisionNumber}|{dependentId:N}");
        var expires = clock.GetUtcNow().AddDays(options.Value.FamilyLinkDays);
        return WebEncoders.Base64UrlEncode(Protector.Protect(payload, expires));
    }

    public string CreateUrl(Guid circularId, int revisionNumber, Guid dependentId) =>
        $"{options.Value.BaseUrl.TrimEnd('/')}/family/{CreateToken(circularId, revisionNumber, dependentId)}";

    public (Claim? Claim, Problem Problem) Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return (null, Problem.Forged);
        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(token);
        }
        catch (FormatException)
        {
            return (null, Problem.Forged);
        }
        try
        {
            // Unprotect checks the expiry against the real clock; check it again against ours so tests and
            // the app agree on what "expired" means.
            var payload = Protector.Unprotect(bytes, out var expires);
            if (expires < clock.GetUtcNow())
                return (null, Problem.Expired);
            var parts = Encoding.UTF8.GetString(payload).Split('|');
            return (new Claim(Guid.ParseExact(parts[0], "N"), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), Guid.ParseExact(parts[2], "N")), Problem.None);
        }
        catch (CryptographicException ex) when (ex.Message.Contains("expired", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problem.Expired);
        }
        catch (CryptographicException)
        {
            return (null, Problem.Forged);
        }
    }
}
