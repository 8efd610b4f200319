using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Notifications;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// Turns an approved circular into its next published revision: reference number, a snapshot of the
/// rules with the catalogue names of the moment, the audit entry. Approval and the scheduler both come here.
/// </summary>
public sealed class Publication(PortalDbContext db, IOptions<PortalOptions> options, FanOut fanOut, VendorCases.VendorCaseOpening vendorCases, Features.Devices.Compliance compliance, Staleness.CaseRecords caseRecords)
{
    public async Task<CircularRevision> PublishAsync(Circular circular, Guid? actor, DateTimeOffset now, CancellationToken ct)
    {
        var number = circular.ReferenceNumber is null ? await NextReferenceNumberAsync(now.Year, ct) : null;
        var submittedAt = circular.SubmittedAt;
        var revision = circular.Publish(now, number, await SnapshotRulesAsync(db, circular.Rules, ct));
        db.CircularRevisions.Add(revision);
        // The fan-out's rows name the revision (a foreign key): it is written first, in the same transaction.
        await db.SaveChangesAsync(ct);
        // A minor amendment tells people what changed without asking them to acknowledge again.
        var counts = await fanOut.PublishAsync(revision, askForAcknowledgement: revision.Kind != RevisionKind.Minor,
            revision.Kind == RevisionKind.Initial ? NotificationPurpose.Published : NotificationPurpose.Amended, now, ct);
        await vendorCases.OpenAsync(revision, now, ct);
        await caseRecords.RecordAsync(revision, submittedAt, ct);
        await compliance.WriteTermsAsync(revision, ct);
        await compliance.ScanCircularAsync(circular.Id, now, ct);
        db.AuditEvents.Add(AuditEvent.Record(nameof(Circular), circular.Id, "Published", actor, now,
            data: JsonSerializer.Serialize(new
            {
                revision = revision.Number, kind = revision.Kind.ToString(), reference = circular.ReferenceNumber,
                acknowledgementRequests = counts.AcknowledgementRequests, notifications = counts.Notifications,
            })));
        return revision;
    }

    /// <summary>Sequential per year and never reused: the counter row is locked until the publishing transaction ends.</summary>
    private async Task<string> NextReferenceNumberAsync(int year, CancellationToken ct)
    {
        var next = await db.Database.SqlQuery<int>($"""
            INSERT INTO reference_counters (year, last_number) VALUES ({year}, 1)
            ON CONFLICT (year) DO UPDATE SET last_number = reference_counters.last_number + 1
            RETURNING last_number AS "Value"
            """).ToListAsync(ct);
        return $"{options.Value.ReferencePrefix}/{year}/{next[0]:000}";
    }

    /// <summary>The rules with the catalogue's names and covered models of the moment (also the draft's impact preview).</summary>
    internal static async Task<IReadOnlyList<RuleSnapshot>> SnapshotRulesAsync(PortalDbContext db, IReadOnlyCollection<CircularRule> rules, CancellationToken ct)
    {
        var manufacturerIds = rules.Select(r => r.ManufacturerId).Distinct().ToArray();
        var manufacturers = await db.Manufacturers.AsNoTracking().Where(m => manufacturerIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var models = await db.DeviceModels.AsNoTracking().Where(m => manufacturerIds.Contains(m.ManufacturerId)).ToListAsync(ct);
        return rules.OrderBy(r => r.Position).Select(rule => new RuleSnapshot(
            rule.Action, rule.ManufacturerId, manufacturers[rule.ManufacturerId].Name, rule.DeviceModelId, rule.ModelPattern,
            rule.TacPrefixes, rule.FirmwareBelow, rule.Note,
            models.Where(m => m.ManufacturerId == rule.ManufacturerId && Covers(rule, m))
                .OrderBy(m => m.MarketingName)
                .Select(m => new ModelSnapshot(m.Id, m.MarketingName, m.ModelNumbers)).ToList())).ToList();
    }

    internal static bool Covers(CircularRule rule, DeviceModel model) =>
        rule.CoversWholeManufacturer
        || rule.DeviceModelId == model.Id
        || (rule.ModelPattern is { } p && (CircularRule.PatternMatches(p, model.MarketingName) || model.ModelNumbers.Any(n => CircularRule.PatternMatches(p, n))))
        || rule.TacPrefixes.Any(prefix => model.Tacs.Any(t => t.StartsWith(prefix, StringComparison.Ordinal)));
}
