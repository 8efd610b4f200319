using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;

namespace Portal.Web.Features.Evidence;

public sealed record EvidenceListItem(Guid Id, string Title, string Lab, DateOnly TestedOn, string DeviceTested, int? CitedFromRevision,
    DateTimeOffset? SupersededAt, IReadOnlyList<EvidenceListFile> Files);

public sealed record EvidenceListFile(Guid Id, string FileName, string Sha256);

public sealed record CircularEvidenceList(Guid CircularId, bool MayRecord, int? RevisionNumber, IReadOnlyList<EvidenceListItem> Items, IReadOnlyList<Destination> Destinations);

/// <summary>
/// The evidence section of a circular's page (everything its reader may see) and of a revision's page
/// (what that revision cites, with each file's SHA-256). Kept out of the circular's own query so the
/// circular pages change by one line.
/// </summary>
public sealed class CircularEvidenceViewComponent(PortalDbContext db, Infrastructure.Auth.ICurrentUser user) : ViewComponent
{
    /// <param name="destinations">The current revision's destinations when the page already holds them (from the revision content cache).</param>
    /// <param name="items">The evidence this reader may see when the page already read it (with a published circular's lists).</param>
    public async Task<IViewComponentResult> InvokeAsync(Guid circularId, bool editable, int? revisionNumber = null, IReadOnlyList<Destination>? destinations = null,
        IReadOnlyList<EvidenceListItem>? items = null)
    {
        if (items is null || revisionNumber is not null)
        {
            var visible = (await db.EvidenceVisibleToAsync(user, HttpContext.RequestAborted)).Where(e => e.CircularId == circularId);
            if (revisionNumber is { } number)
                visible = visible.Where(e => db.CitedEvidence.Any(c => c.EvidenceId == e.Id
                    && db.CircularRevisions.Any(r => r.Id == c.RevisionId && r.CircularId == circularId && r.Number == number)));
            items = await visible.AsNoTracking().OrderBy(e => e.RecordedAt)
                .Select(e => new EvidenceListItem(e.Id, e.Title, e.Lab, e.TestedOn, e.DeviceTested, e.CitedFromRevision, e.SupersededAt,
                    e.Files.OrderBy(f => f.UploadedAt).Select(f => new EvidenceListFile(f.Id, f.FileName, f.Sha256)).ToList()))
                .ToListAsync(HttpContext.RequestAborted);
        }
        var mayRecord = revisionNumber is null && editable && user.IsInRole(Domain.Roles.SecurityOfficer);
        if (revisionNumber is not null)
            destinations = [];
        else if (destinations is null)
        {
            destinations = [];
            var revisionId = await db.Circulars.AsNoTracking().Where(c => c.Id == circularId).Select(c => c.CurrentRevisionId).FirstOrDefaultAsync(HttpContext.RequestAborted);
            if (revisionId is not null || user.CanReadDrafts)
                destinations = await Destinations.OfAsync(db, circularId, revisionId, HttpContext.RequestAborted);
        }
        return View("~/Features/Evidence/CircularEvidence.cshtml", new CircularEvidenceList(circularId, mayRecord, revisionNumber, items, destinations));
    }
}
