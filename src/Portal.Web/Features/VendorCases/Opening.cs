using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.VendorCases;

/// <summary>The "Portal:VendorCases" settings.</summary>
public sealed class VendorCaseOptions
{
    public const string Section = "Portal:VendorCases";

    /// <summary>Days a vendor has to answer a newly opened case.</summary>
    [Range(1, 365)]
    public int ResponseDays { get; set; } = 14;
}

public static class VendorCaseSetup
{
    public static IServiceCollection AddPortalVendorCases(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VendorCaseOptions>().Bind(configuration.GetSection(VendorCaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CaseDeadlineOptions>().Bind(configuration.GetSection(CaseDeadlineOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<DeadlineReminding>();
        return services;
    }
}

/// <summary>
/// Part of publishing (called by <see cref="Circulars.Publication"/>, in its transaction): a case opens for
/// each vendor organisation whose manufacturer the revision's rules name, one per circular and vendor,
/// covering the models the rules cover. A later revision naming more of the vendor's models adds them to
/// the same case.
/// </summary>
public sealed class VendorCaseOpening(PortalDbContext db, IOptions<VendorCaseOptions> options)
{
    public async Task OpenAsync(CircularRevision revision, DateTimeOffset now, CancellationToken ct)
    {
        var manufacturerIds = revision.Rules.Select(r => r.ManufacturerId).Distinct().ToArray();
        var vendorOf = await db.Manufacturers.AsNoTracking()
            .Where(m => manufacturerIds.Contains(m.Id) && m.VendorOrganisationId != null)
            .ToDictionaryAsync(m => m.Id, m => m.VendorOrganisationId!.Value, ct);
        foreach (var vendor in revision.Rules.Where(r => vendorOf.ContainsKey(r.ManufacturerId)).GroupBy(r => vendorOf[r.ManufacturerId]))
        {
            var models = vendor.SelectMany(r => r.Models).Select(m => (m.Id, m.MarketingName)).ToList();
            var existing = await db.VendorCases.Include(c => c.Models)
                .FirstOrDefaultAsync(c => c.CircularId == revision.CircularId && c.VendorOrganisationId == vendor.Key, ct);
            if (existing is null)
            {
                var opened = VendorCase.Open(revision.CircularId, vendor.Key, revision.Number, models, now, options.Value.ResponseDays);
                db.VendorCases.Add(opened);
                await NotifyAsync(revision, vendor.Key, now, ct);
                db.AuditEvents.Add(AuditEvent.Record(nameof(VendorCase), opened.Id, "CaseOpened", null, now,
                    data: JsonSerializer.Serialize(new { circular = revision.CircularId, revision = revision.Number, vendor = vendor.Key, models = opened.Models.Count, due = opened.ResponseDueOn })));
            }
            else if (existing.Cover(models) is > 0 and var added)
            {
                db.AuditEvents.Add(AuditEvent.Record(nameof(VendorCase), existing.Id, "CaseModelsAdded", null, now,
                    data: JsonSerializer.Serialize(new { revision = revision.Number, added })));
            }
        }
    }

    /// <summary>Each of the vendor's users gets a notice in the portal's inbox and an e-mail through the notification outbox; one statement.</summary>
    private Task<int> NotifyAsync(CircularRevision revision, Guid vendor, DateTimeOffset now, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (circular_id, revision_number, purpose, channel, user_id, address, language, state, attempts,
                                       next_attempt_at, created_at, sent_at)
            SELECT {revision.CircularId}, {revision.Number}, 'VendorCase', ch.channel, u.id, ch.address, 'en',
                   CASE WHEN ch.channel = 'InApp' THEN 'Sent' ELSE 'Pending' END, 0,
                   CASE WHEN ch.channel = 'InApp' THEN NULL ELSE {now} END, {now},
                   CASE WHEN ch.channel = 'InApp' THEN {now} END
            FROM users u
            CROSS JOIN LATERAL (VALUES ('InApp', NULL), ('Email', u.email)) AS ch(channel, address)
            WHERE u.vendor_organisation_id = {vendor}
              AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.name = 'Vendor')
              AND (ch.channel = 'InApp' OR ch.address IS NOT NULL)
            """, ct);
}
