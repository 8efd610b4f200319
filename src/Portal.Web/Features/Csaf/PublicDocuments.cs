using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Features.Circulars;

namespace Portal.Web.Features.Csaf;

/// <summary>A document the provider distributes: the current revision of a TLP:CLEAR circular.</summary>
public sealed record PublicDocument(
    Guid CircularId, string TrackingId, string Title, string Summary, string Path,
    DateTimeOffset InitialRelease, DateTimeOffset CurrentRelease);

/// <summary>
/// What the provider distributes, decided once for every list it serves: circulars an anonymous reader
/// may see (the current revision is TLP:CLEAR; never a draft), newest change first.
/// </summary>
internal static class PublicDocuments
{
    public static async Task<IReadOnlyList<PublicDocument>> ListAsync(PortalDbContext db, CancellationToken ct)
    {
        var rows = await db.Circulars.AsNoTracking().VisibleTo(Reader.Anonymous)
            .Where(c => c.ReferenceNumber != null && c.FirstPublishedAt != null)
            .Select(c => new
            {
                c.Id, c.ReferenceNumber, c.ClosedAt, c.CurrentRevision!.Text.Title, c.CurrentRevision.Text.Summary, c.CurrentRevision.PublishedAt,
                Initial = db.CircularRevisions.Where(r => r.CircularId == c.Id && r.Number == 1).Select(r => r.PublishedAt).First(),
            })
            .ToListAsync(ct);
        return rows
            .Select(r => new PublicDocument(r.Id, r.ReferenceNumber!, r.Title, r.Summary, CsafNames.WhitePath(r.ReferenceNumber!, r.Initial),
                r.Initial, CsafNames.CurrentRelease(r.PublishedAt, r.ClosedAt)))
            .OrderByDescending(d => d.CurrentRelease).ThenBy(d => d.Path, StringComparer.Ordinal)
            .ToList();
    }
}
