using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// Which published revisions a person may read: revisions of circulars they may read (see
/// <see cref="CircularVisibility"/>, decided by the current revision), and only where the revision's own
/// label, audience and manufacturers would have let them read it too, so a circular relabelled
/// TLP:CLEAR does not open its earlier AMBER text to everyone.
/// </summary>
public static class RevisionVisibility
{
    public static IQueryable<CircularRevision> PublishedRevisionsVisibleTo(this PortalDbContext db, Reader reader)
    {
        var circulars = db.Circulars.VisibleTo(reader);
        var revisions = db.CircularRevisions.Where(r => circulars.Any(c => c.Id == r.CircularId));
        if (reader.ReadsDrafts || reader.ReadsAllPublished)
            return revisions;
        if (reader.IsAnonymous)
            return revisions.Where(r => r.Text.Tlp == TlpLabel.Clear);
        if (reader.IsVendorOnly)
        {
            var mine = reader.VendorManufacturerIds;
            return revisions.Where(r => r.ManufacturerIds.Any(m => mine.Contains(m)));
        }
        var ancestry = reader.UnitAncestry;
        return revisions.Where(CircularVisibility.Expand<Func<CircularRevision, bool>>(r => CircularVisibility.StaffMayReadRevision(r, ancestry)));
    }
}
