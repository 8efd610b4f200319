using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Dashboards;

/// <summary>Who may look at acknowledgement dashboards, and how far.</summary>
public static class DashboardAccess
{
    /// <summary>For [Authorize(Roles = ...)].</summary>
    public const string Viewers = Roles.SecurityOfficer + "," + Roles.Approver + "," + Roles.Auditor + "," + Roles.UnitCommander;

    /// <summary>Officers, approvers and auditors see every unit; a unit commander only their own subtree.</summary>
    public static bool SeesWholeOrganisation(System.Security.Claims.ClaimsPrincipal user) =>
        user.IsInRole(Roles.SecurityOfficer) || user.IsInRole(Roles.Approver) || user.IsInRole(Roles.Auditor);

    public static bool CanView(System.Security.Claims.ClaimsPrincipal user) => SeesWholeOrganisation(user) || user.IsInRole(Roles.UnitCommander);
}

public sealed record UnitLink(Guid? Id, string Code, string Name);

/// <summary>
/// What one viewer may see of one circular's acknowledgements: the circular (only if they may read it),
/// the revision whose requests are current (the highest that asked), and the selected unit, which must
/// lie inside the viewer's own subtree. The subtree comes from the viewer's account, never from the
/// request: a unit id from the query string only narrows it, through a Where on the materialised path.
/// </summary>
public sealed record DashboardScope(
    Guid CircularId,
    string? ReferenceNumber,
    string Title,
    int CurrentRevision,
    int AskedRevision,
    DateTimeOffset? AskedAt,
    UnitLink Unit,
    string Path,
    int Depth,
    IReadOnlyList<UnitLink> Breadcrumb,
    bool WholeOrganisation)
{
    /// <summary>The path prefix of everything in the whole organisation, every unit's path starts with it.</summary>
    public const string OrganisationPath = "/";

    public static async Task<DashboardScope> ResolveAsync(PortalDbContext db, ICurrentUser user, Guid circularId, Guid? unitId, CancellationToken ct)
    {
        var reader = await Reader.ForAsync(db, user, ct);
        var circular = await db.Circulars.AsNoTracking().VisibleTo(reader)
            .Where(c => c.Id == circularId && c.CurrentRevisionId != null)
            .Select(c => new { c.ReferenceNumber, c.CurrentRevision!.Text.Title, c.CurrentRevisionNumber })
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("The circular");
        var asked = await db.AcknowledgementRequests.Where(a => a.CircularId == circularId).MaxAsync(a => (int?)a.RevisionNumber, ct) ?? 0;
        var askedAt = await db.CircularRevisions.Where(r => r.CircularId == circularId && r.Number == asked)
            .Select(r => (DateTimeOffset?)r.PublishedAt).FirstOrDefaultAsync(ct);

        var whole = DashboardAccess.SeesWholeOrganisation(user.Principal);
        var rootPath = OrganisationPath;
        Guid? own = null;
        if (!whole)
        {
            var userId = user.Id;
            own = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.UnitId).FirstOrDefaultAsync(ct)
                ?? throw new NotFoundException("Your unit");
            rootPath = await db.Units.AsNoTracking().Where(u => u.Id == own).Select(u => u.Path).FirstAsync(ct);
        }

        var tops = whole ? await db.Units.AsNoTracking().Where(u => u.ParentId == null).OrderBy(u => u.Id).Select(u => u.Id).Take(2).ToListAsync(ct) : [];
        var wanted = unitId ?? own ?? (tops.Count == 1 ? tops[0] : null);
        var organisation = new UnitLink(null, "", "Whole organisation");
        if (wanted is null)
            return new(circularId, circular.ReferenceNumber, circular.Title, circular.CurrentRevisionNumber, asked, askedAt,
                organisation, OrganisationPath, -1, [organisation], whole);

        var unit = await db.Units.AsNoTracking()
            .Where(u => u.Id == wanted && u.Path.StartsWith(rootPath))
            .Select(u => new { u.Id, u.Code, u.Name, u.Path, u.Depth })
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("The unit");
        var ancestors = unit.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.ParseExact(s, "N")).ToArray();
        var breadcrumb = await db.Units.AsNoTracking()
            .Where(u => ancestors.Contains(u.Id) && u.Path.StartsWith(rootPath))
            .OrderBy(u => u.Depth)
            .Select(u => new UnitLink(u.Id, u.Code, u.Name))
            .ToListAsync(ct);
        if (whole && tops.Count > 1)
            breadcrumb.Insert(0, organisation);
        return new(circularId, circular.ReferenceNumber, circular.Title, circular.CurrentRevisionNumber, asked, askedAt,
            breadcrumb[^1], unit.Path, unit.Depth, breadcrumb, whole);
    }
}
