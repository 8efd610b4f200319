using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.Staleness;

/// <summary>Who is shown that circulars are stale: officers, approvers and auditors; never staff, families or vendors.</summary>
public static class StaleAccess
{
    public const string Roles = Domain.Roles.SecurityOfficer + "," + Domain.Roles.Approver + "," + Domain.Roles.Auditor;

    public static bool MaySee(ClaimsPrincipal user) =>
        user.IsInRole(Domain.Roles.SecurityOfficer) || user.IsInRole(Domain.Roles.Approver) || user.IsInRole(Domain.Roles.Auditor);
}

/// <summary>
/// The one definition of staleness: an event on one of a published circular's vendor cases, of a kind that can change
/// the advice, that no published amendment has considered yet. Amendments consider what occurred before they were
/// submitted (<see cref="CaseRecords"/>), so every such event is newer than the current revision or arrived while
/// the amendment was with the approver (docs/decisions/0045-staleness-and-case-data-in-csaf.md).
/// </summary>
public static class StaleEvents
{
    public static IQueryable<CaseEvent> Of(PortalDbContext db) => db.CaseEvents.AsNoTracking()
        .Where(e => e.MakesStale && e.ConsideredInRevision == null
            && db.Circulars.Any(c => c.Id == e.CircularId && c.Status == CircularStatus.Published));

    public static IQueryable<CaseEvent> Of(PortalDbContext db, Guid circularId) => Of(db).Where(e => e.CircularId == circularId);
}

/// <summary>
/// Part of publishing a revision (called by <see cref="Circulars.Publication"/> in its transaction): the case events the
/// amendment considered are marked with the revision's number, which clears the stale flag for them, and what the
/// vendor cases say at this moment is recorded with the revision for its CSAF document.
/// </summary>
public sealed class CaseRecords(PortalDbContext db)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <param name="submittedAt">When the amendment was submitted for approval: what occurred until then, it considered.</param>
    public async Task RecordAsync(CircularRevision revision, DateTimeOffset? submittedAt, CancellationToken ct)
    {
        // Cases newly opened by this publication are written first, so the record names them too.
        await db.SaveChangesAsync(ct);
        if (submittedAt is { } until)
            await db.CaseEvents.Where(e => e.CircularId == revision.CircularId && e.ConsideredInRevision == null && e.OccurredAt <= until)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConsideredInRevision, revision.Number), ct);
        var parts = await ReadAsync(db, revision.CircularId, ct);
        db.Add(RevisionCaseRecord.Of(revision.Id, JsonSerializer.Serialize(parts, Json)));
    }

    public static async Task<IReadOnlyList<CaseRecordData>> ReadAsync(PortalDbContext db, Guid circularId, CancellationToken ct)
    {
        var cases = await db.VendorCases.AsNoTracking().Include(c => c.Models).Where(c => c.CircularId == circularId)
            .Join(db.VendorOrganisations, c => c.VendorOrganisationId, v => v.Id, (c, v) => new { Case = c, Vendor = v.Name })
            .ToListAsync(ct);
        var caseIds = cases.Select(c => c.Case.Id).ToArray();
        var statements = await db.CaseStatements.AsNoTracking().Where(s => caseIds.Contains(s.CaseId)).OrderBy(s => s.PostedAt).ToListAsync(ct);
        var claims = await db.RemediationClaims.AsNoTracking().Where(c => caseIds.Contains(c.CaseId)).OrderBy(c => c.SubmittedAt).ToListAsync(ct);
        var vendorWrote = await db.CaseMessages.AsNoTracking().Where(m => caseIds.Contains(m.CaseId) && m.FromVendor)
            .Select(m => m.CaseId).Distinct().ToListAsync(ct);
        var lastEvents = await db.CaseEvents.AsNoTracking().Where(e => caseIds.Contains(e.CaseId))
            .GroupBy(e => e.CaseId).Select(g => new { CaseId = g.Key, At = g.Max(e => e.OccurredAt) }).ToDictionaryAsync(x => x.CaseId, x => x.At, ct);
        return cases.OrderBy(c => c.Vendor, StringComparer.Ordinal).Select(c => new CaseRecordData(
            c.Vendor,
            Answered: statements.Any(s => s.CaseId == c.Case.Id) || claims.Any(x => x.CaseId == c.Case.Id)
                || vendorWrote.Contains(c.Case.Id) || c.Case.Models.Any(m => m.Status != ModelStatus.Unknown),
            c.Case.Models.OrderBy(m => m.MarketingName, StringComparer.Ordinal).Select(m => new CaseRecordData.Model(m.DeviceModelId, m.MarketingName, m.Status)).ToList(),
            statements.Where(s => s.CaseId == c.Case.Id && s.IsPublic).Select(s => new CaseRecordData.Statement(s.PostedAt, s.Text)).ToList(),
            claims.Where(x => x.CaseId == c.Case.Id && x.Status is ClaimStatus.PendingVerification or ClaimStatus.Verified)
                .Select(x => new CaseRecordData.Claim(x.DeviceModelId, x.Kind, x.Status, x.Description, x.FirmwareVersion, x.ReleasedOn, x.Link,
                    x.RelocatedFrom, x.RelocatedTo, x.CompletedOn)).ToList(),
            c.Case.OpenedAt,
            lastEvents.TryGetValue(c.Case.Id, out var last) ? last : null)).ToList();
    }

    /// <summary>The record of a revision; empty for revisions published before records were kept.</summary>
    public static async Task<IReadOnlyList<CaseRecordData>> OfRevisionAsync(PortalDbContext db, Guid revisionId, CancellationToken ct)
    {
        var data = await db.Set<RevisionCaseRecord>().AsNoTracking().Where(r => r.RevisionId == revisionId).Select(r => r.Data).FirstOrDefaultAsync(ct);
        return data is null ? [] : JsonSerializer.Deserialize<List<CaseRecordData>>(data, Json) ?? [];
    }
}
