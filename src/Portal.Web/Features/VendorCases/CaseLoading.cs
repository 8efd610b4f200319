using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.VendorCases;

/// <summary>
/// Loading a case for a change. The vendor's side (statements, claims, files) is its own organisation's cases only,
/// acting as a vendor; the officers' side (reviews, re-tests, verification) is officers only. Anything else is 404,
/// whatever id was posted.
/// </summary>
public static class CaseLoading
{
    public static async Task<VendorCase> CaseForVendorAsync(this PortalDbContext db, ICurrentUser user, Guid caseId, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.Vendor) || user.VendorOrganisationId is not { } vendor)
            throw new NotFoundException("The case");
        return await db.VendorCases.Include(c => c.Models)
            .FirstOrDefaultAsync(c => c.Id == caseId && c.VendorOrganisationId == vendor, ct) ?? throw new NotFoundException("The case");
    }

    public static async Task<VendorCase> CaseForOfficerAsync(this PortalDbContext db, ICurrentUser user, Guid caseId, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.SecurityOfficer))
            throw new NotFoundException("The case");
        return await db.VendorCases.Include(c => c.Models).FirstOrDefaultAsync(c => c.Id == caseId, ct) ?? throw new NotFoundException("The case");
    }

    /// <summary>A claim on the case, locked, as the form saw it: a changed claim is a stale form (409), not a silent overwrite.</summary>
    public static async Task<RemediationClaim> ClaimForChangeAsync(this PortalDbContext db, Guid caseId, Guid claimId, uint? seenVersion, CancellationToken ct)
    {
        var claim = await db.RemediationClaims
            .FromSql($"SELECT c.*, c.xmin FROM remediation_claims c WHERE c.id = {claimId} AND c.case_id = {caseId} FOR UPDATE")
            .Include(c => c.Files)
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("The claim");
        if (seenVersion is { } seen && claim.Version != seen)
            throw new DbUpdateConcurrencyException("Someone else changed this claim after you opened it.");
        return claim;
    }

    /// <summary>
    /// Who a change is recorded against. A person is themselves; a vendor system's client-credentials token has no person
    /// behind it, so its changes are recorded against the client's own account (one per client, made on its first change,
    /// never able to sign in, in no role), and the case's records keep naming a portal account.
    /// </summary>
    public static async Task<Guid> ActorIdAsync(this PortalDbContext db, ICurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        if (!user.IsMachineClient)
            return user.Id;
        var clientId = user.Id;
        var userName = $"api-client-{clientId:N}";
        if (await db.Users.Where(u => u.UserName == userName).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct) is { } existing)
            return existing;
        var client = await db.ApiClients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clientId, ct) ?? throw new NotFoundException("The client");
        var account = new PortalUser
        {
            Id = Guid.CreateVersion7(),
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            DisplayName = $"{client.Name} ({client.ClientId})",
            VendorOrganisationId = client.VendorOrganisationId,
            LockoutEnabled = true,
            LockoutEnd = DateTimeOffset.MaxValue,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Users.Add(account);
        return account.Id;
    }

    public static string ModelName(this VendorCase vendorCase, Guid deviceModelId) =>
        vendorCase.Models.FirstOrDefault(m => m.DeviceModelId == deviceModelId)?.MarketingName ?? "?";
}
