using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Evidence;

/// <summary>
/// Who may read which evidence, applied as a Where on every read, download included. Officers and
/// approvers: all of it, drafts too. Everyone else: evidence cited by a published revision they may read
/// (<see cref="RevisionVisibility"/>); vendors, of that, only what an officer shared with their organisation.
/// Anything else is answered as if it did not exist.
/// </summary>
public static class EvidenceAccess
{
    public static async Task<IQueryable<EvidenceRecord>> EvidenceVisibleToAsync(this PortalDbContext db, ICurrentUser user, CancellationToken ct)
    {
        var reader = await Reader.ForAsync(db, user, ct);
        if (reader.ReadsDrafts)
            return db.Evidence;
        var revisions = db.PublishedRevisionsVisibleTo(reader);
        var cited = db.Evidence.Where(e => db.CitedEvidence.Any(c => c.EvidenceId == e.Id && revisions.Any(r => r.Id == c.RevisionId)));
        if (!reader.IsVendorOnly)
            return cited;
        var vendor = user.VendorOrganisationId ?? Guid.Empty;
        return cited.Where(e => e.SharedWithVendorIds.Contains(vendor));
    }

    /// <summary>Records one custody entry (upload, view, download, supersession...) against the evidence.</summary>
    public static void Custody(this PortalDbContext db, Guid evidenceId, string action, Guid? actor, DateTimeOffset now, string? reason = null, string? data = null) =>
        db.AuditEvents.Add(AuditEvent.Record(nameof(EvidenceRecord), evidenceId, action, actor, now, reason, data));

    /// <summary>Loads evidence of a circular for a change, locked, refused when the form was stale.</summary>
    public static async Task<EvidenceRecord> LoadEvidenceForChangeAsync(this PortalDbContext db, Guid circularId, Guid evidenceId, uint seenVersion, CancellationToken ct)
    {
        var evidence = await db.Evidence
            .FromSql($"SELECT e.*, e.xmin FROM evidence e WHERE e.id = {evidenceId} AND e.circular_id = {circularId} FOR UPDATE")
            .Include(e => e.Files).Include(e => e.Findings).AsSplitQuery()
            .SingleOrDefaultAsync(ct) ?? throw new NotFoundException("The evidence");
        if (evidence.Version != seenVersion)
            throw new DbUpdateConcurrencyException("Someone else changed this evidence after you opened it.");
        return evidence;
    }

    /// <summary>Files and findings change only while the circular's working copy does (a draft, or an amendment being edited).</summary>
    public static async Task EnsureCircularEditableAsync(this PortalDbContext db, Guid circularId, CancellationToken ct)
    {
        var circular = await db.Circulars.AsNoTracking().FirstOrDefaultAsync(c => c.Id == circularId, ct)
            ?? throw new NotFoundException("The circular");
        if (circular.EditingRefusal() is { } refusal)
            throw new DomainException(refusal);
    }
}

/// <summary>What every change of an evidence record posts: which record, the version the page showed, and who acts.</summary>
public abstract record EvidenceChange
{
    public Guid CircularId { get; set; }
    public Guid EvidenceId { get; set; }
    public uint Version { get; init; }
}
