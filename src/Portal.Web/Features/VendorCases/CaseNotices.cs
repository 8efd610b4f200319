using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.VendorCases;

/// <summary>
/// News on a case reaches the other side: the vendor's users when an officer acts (a review, a re-test, a verified
/// fix, a message), the security officers when the vendor does (a claim, a message). One statement each, into the
/// notification outbox (an inbox notice and an e-mail), in the transaction of the change. The e-mail names only the
/// circular and the cases page; what happened is read in the portal.
/// </summary>
public static class CaseNotices
{
    public static Task<int> TellVendorAsync(this PortalDbContext db, VendorCase vendorCase, DateTimeOffset now, CancellationToken ct) =>
        db.TellAsync(vendorCase, Roles.Vendor, vendorCase.VendorOrganisationId, now, ct);

    public static Task<int> TellOfficersAsync(this PortalDbContext db, VendorCase vendorCase, DateTimeOffset now, CancellationToken ct) =>
        db.TellAsync(vendorCase, Roles.SecurityOfficer, null, now, ct);

    /// <summary>Everyone in <paramref name="role"/> (of <paramref name="vendorOrganisation"/>, when given): an inbox notice and an e-mail.</summary>
    private static Task<int> TellAsync(this PortalDbContext db, VendorCase vendorCase, string role, Guid? vendorOrganisation, DateTimeOffset now,
        CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (circular_id, revision_number, purpose, channel, user_id, address, language, state, attempts,
                                       next_attempt_at, created_at, sent_at)
            SELECT c.id, c.current_revision_number, 'CaseActivity', ch.channel, u.id, ch.address, u.language,
                   CASE WHEN ch.channel = 'InApp' THEN 'Sent' ELSE 'Pending' END, 0,
                   CASE WHEN ch.channel = 'InApp' THEN NULL ELSE {now} END, {now},
                   CASE WHEN ch.channel = 'InApp' THEN {now} END
            FROM users u
            JOIN circulars c ON c.id = {vendorCase.CircularId}
            CROSS JOIN LATERAL (VALUES ('InApp', NULL), ('Email', u.email)) AS ch(channel, address)
            WHERE ({vendorOrganisation}::uuid IS NULL OR u.vendor_organisation_id = {vendorOrganisation})
              AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.name = {role})
              AND (ch.channel = 'InApp' OR ch.address IS NOT NULL)
            """, ct);
}
