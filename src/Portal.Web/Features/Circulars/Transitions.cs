using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// What every change of a circular's state posts: which circular, the version the person saw (a stale
/// page is refused rather than acting on a circular someone else has just changed) and who acts.
/// </summary>
public abstract record CircularTransition
{
    public Guid Id { get; set; }
    public uint Version { get; init; }
}

internal static class CircularLoading
{
    /// <summary>
    /// Loads the circular with its rules, audience and sources, locked for this transaction, and refuses it
    /// when it is no longer the version the person saw. Locking first means two people acting at once are
    /// served one after the other: the second meets the changed version, not a half-done publication.
    /// </summary>
    public static async Task<Circular> LoadForChangeAsync(this PortalDbContext db, Guid id, uint seenVersion, CancellationToken ct)
    {
        var circular = await db.Circulars
            .FromSql($"SELECT c.*, c.xmin FROM circulars c WHERE c.id = {id} FOR UPDATE")
            .Include(c => c.Rules).Include(c => c.Audience).Include(c => c.Sources)
            .AsSplitQuery()
            .FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("The circular");
        if (circular.Version != seenVersion)
            throw new DbUpdateConcurrencyException("Someone else changed this circular after you opened it.");
        return circular;
    }

    public static void Audit(this PortalDbContext db, Circular circular, string action, Guid actor, DateTimeOffset now, string? reason = null, string? data = null) =>
        db.AuditEvents.Add(AuditEvent.Record(nameof(Circular), circular.Id, action, actor, now, reason, data));
}
