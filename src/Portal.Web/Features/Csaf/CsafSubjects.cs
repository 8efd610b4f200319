using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;

namespace Portal.Web.Features.Csaf;

/// <summary>Loads what a CSAF document of one revision says, as the reader may see it.</summary>
internal static class CsafSubjects
{
    /// <summary>
    /// Revision <paramref name="number"/> (the current one when null) of a circular the reader may see, or
    /// null. <paramref name="selfUrl"/> chooses the document's own address: the provider's for a
    /// TLP:CLEAR current revision, the revision's address behind sign-in otherwise.
    /// </summary>
    public static async Task<CsafSubject?> LoadAsync(PortalDbContext db, Reader reader, Guid circularId, int? number, CsafUrls urls, CancellationToken ct)
    {
        var circular = await db.Circulars.AsNoTracking().VisibleTo(reader).Where(c => c.Id == circularId)
            .Select(c => new { c.Status, c.ClosingReason, c.ClosedAt, c.SupersededById, c.CurrentRevisionNumber, c.FirstPublishedAt })
            .FirstOrDefaultAsync(ct);
        if (circular is null || circular.CurrentRevisionNumber == 0)
            return null;
        var wanted = number ?? circular.CurrentRevisionNumber;
        var revision = await db.PublishedRevisionsVisibleTo(reader).AsNoTracking()
            .FirstOrDefaultAsync(r => r.CircularId == circularId && r.Number == wanted, ct);
        if (revision is null)
            return null;
        // CSAF wants the history whole (1..n, no gaps), so a revision the reader may not open keeps its number and
        // date but not its change summary, which would tell what its text said.
        var openable = db.PublishedRevisionsVisibleTo(reader).Where(r => r.CircularId == circularId).Select(r => r.Number);
        var history = await db.CircularRevisions.AsNoTracking().Where(r => r.CircularId == circularId && r.Number <= wanted)
            .OrderBy(r => r.Number)
            .Select(r => new RevisionEntry(r.Number, r.PublishedAt, r.Kind,
                openable.Contains(r.Number) ? r.ChangeSummary : "Revision not available to this reader."))
            .ToListAsync(ct);
        var isCurrent = wanted == circular.CurrentRevisionNumber;
        var replacement = isCurrent && circular.SupersededById is { } next
            ? await ReplacementAsync(db, reader, next, urls, ct)
            : null;
        var selfUrl = isCurrent && revision.Text.Tlp == TlpLabel.Clear
            ? urls.WhiteDocument(CsafNames.WhitePath(revision.ReferenceNumber, history[0].PublishedAt))
            : urls.Revision(circularId, wanted);
        return new CsafSubject(circularId, revision, history, isCurrent, circular.Status, circular.ClosingReason,
            circular.ClosedAt, replacement, selfUrl)
        {
            Destinations = await Evidence.Destinations.OfAsync(db, circularId, revision.Id, ct),
            Cases = await Staleness.CaseRecords.OfRevisionAsync(db, revision.Id, ct),
        };
    }

    /// <summary>The replacing circular, only if the reader may see it: a TLP:CLEAR one by its public document, others by their revision's address.</summary>
    private static async Task<Replacement?> ReplacementAsync(PortalDbContext db, Reader reader, Guid id, CsafUrls urls, CancellationToken ct)
    {
        var next = await db.Circulars.AsNoTracking().VisibleTo(reader).Where(c => c.Id == id && c.CurrentRevisionId != null)
            .Select(c => new { c.ReferenceNumber, c.CurrentRevision!.Text.Title, c.CurrentRevision.Text.Tlp, c.CurrentRevisionNumber, c.FirstPublishedAt })
            .FirstOrDefaultAsync(ct);
        if (next?.ReferenceNumber is null || next.FirstPublishedAt is null)
            return null;
        var url = next.Tlp == TlpLabel.Clear
            ? urls.WhiteDocument(CsafNames.WhitePath(next.ReferenceNumber, next.FirstPublishedAt.Value))
            : urls.Revision(id, next.CurrentRevisionNumber);
        return new Replacement(next.ReferenceNumber, next.Title, url);
    }
}
