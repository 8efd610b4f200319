using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Localization;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Circulars;

public sealed record PublishedSource(SourceKind Kind, string Identifier, string? Title, string? Url)
{
    public bool HasWebAddress => Url is { } url && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase));

    public string Describe() => $"{Kind.Words()}: {Identifier}" + (Title is { } title ? $", {title}" : "");
}

/// <summary>
/// Reads published revisions for the revision, print and diff pages: only of a circular the reader may
/// see, only revisions the reader may see (<see cref="RevisionVisibility"/>), internal notes only for
/// those who may read them.
/// </summary>
internal static class RevisionReading
{
    public sealed record Head(Guid Id, string? ReferenceNumber, CircularStatus Status, int CurrentRevisionNumber,
        string? ClosingReason, DateTimeOffset? ClosedAt);

    public sealed record Snapshot(
        int Number, RevisionKind Kind, string ChangeSummary, DateTimeOffset PublishedAt, string ApprovedBy,
        string ReferenceNumber, CircularText Text, Guid[] AudienceUnitIds, List<RuleSnapshot> Rules, List<SourceSnapshot> Sources);

    /// <summary>The circular, if the reader may see it; a 404 otherwise, so nobody learns what exists.</summary>
    public static async Task<Head> HeadAsync(this PortalDbContext db, Reader reader, Guid id, CancellationToken ct) =>
        await db.Circulars.AsNoTracking().VisibleTo(reader).Where(c => c.Id == id)
            .Select(c => new Head(c.Id, c.ReferenceNumber, c.Status, c.CurrentRevisionNumber, c.ClosingReason, c.ClosedAt))
            .FirstOrDefaultAsync(ct)
        ?? throw new NotFoundException("The circular");

    /// <summary>The numbers of the circular's revisions the reader may see, oldest first.</summary>
    public static Task<List<int>> NumbersAsync(this PortalDbContext db, Reader reader, Guid id, CancellationToken ct) =>
        db.PublishedRevisionsVisibleTo(reader).AsNoTracking().Where(r => r.CircularId == id)
            .OrderBy(r => r.Number).Select(r => r.Number).ToListAsync(ct);

    public static async Task<List<Snapshot>> SnapshotsAsync(this PortalDbContext db, Reader reader, Guid id, int[] numbers, CancellationToken ct)
    {
        var snapshots = await db.PublishedRevisionsVisibleTo(reader).AsNoTracking()
            .Where(r => r.CircularId == id && numbers.Contains(r.Number))
            .OrderBy(r => r.Number)
            .Select(r => new Snapshot(r.Number, r.Kind, r.ChangeSummary, r.PublishedAt,
                db.Users.Where(u => u.Id == r.ApprovedById).Select(u => u.DisplayName).First(),
                r.ReferenceNumber, r.Text, r.AudienceUnitIds, r.Rules, r.Sources))
            .ToListAsync(ct);
        return reader.SeesInternalNotes ? snapshots : snapshots.Select(s => s with { Text = s.Text with { InternalNotes = null } }).ToList();
    }

    /// <summary>Unit names of an audience, for readers of the organisation; vendors do not see who else is addressed.</summary>
    public static async Task<Dictionary<Guid, string>?> AudienceNamesAsync(this PortalDbContext db, Reader reader, Guid[] unitIds, CancellationToken ct) =>
        reader.IsVendorOnly ? null
            : await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id))
                .ToDictionaryAsync(u => u.Id, u => $"{u.Name} ({u.Code})", ct);
}
