using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Features.Acknowledgements;

/// <summary>
/// Signed, expiring links through which a family member (who has no account) reads the family summary
/// and acknowledges. The token is the Data Protection payload "circularId|revision|dependentId" with an
/// expiry, Base64Url; keys are shared through the database, so any instance can read a link another made.
/// </summary>
public sealed class FamilyLinks(IDataProtectionProvider protection, IOptions<PortalOptions> options, IConfiguration configuration, TimeProvider clock)
{
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Portal.FamilyLink.v1").ToTimeLimitedDataProtector();
    private readonly int _days = configuration.GetValue("Portal:FamilyLinkDays", 30);

    public string CreateUrl(Guid circularId, int revisionNumber, Guid dependentId)
    {
        var token = _protector.Protect($"{circularId}|{revisionNumber}|{dependentId}", clock.GetUtcNow().AddDays(_days));
        return $"{options.Value.BaseUrl.TrimEnd('/')}/family/{token}";
    }
}
