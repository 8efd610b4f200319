using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Devices;

/// <summary>An open finding as its owner, a commander or an officer reads it.</summary>
public sealed record FindingLine(long Id, Guid CircularId, string Reference, RuleAction Action, FindingState State, string? FirmwareBelow,
    ExemptionState? Exemption, DateTimeOffset? ExemptionExpiresAt)
{
    /// <summary>The status in a few words, and what the owner should do about it, in the reader's language.</summary>
    public (string Status, string ToDo) Words(Microsoft.Extensions.Localization.IStringLocalizer t) => (State, Action) switch
    {
        (FindingState.Exempted, _) => (t["Exempted until {0}", $"{ExemptionExpiresAt:yyyy-MM-dd}"], t["Nothing for now; the exemption ends on that date."]),
        (_, RuleAction.Banned) when FirmwareBelow is not null => (t["Banned below software {0}", FirmwareBelow],
            t["Update the phone's software to {0} or later and record the new version here, or stop using it and remove it.", FirmwareBelow]),
        (_, RuleAction.Banned) => (t["Banned"], t["Stop using this phone, replace it, then remove it here. Your commander can ask for an exemption if it cannot be replaced yet."]),
        (_, RuleAction.Restricted) => (t["Restricted"], t["Read the circular: it says what this phone may not be used for."]),
        _ => (t["Watched"], t["Nothing to do now; the security office is watching this model."]),
    };
}

public static class Mine
{
    public sealed record Query() : IRequest<Result>;

    public sealed record Row(Guid Id, string Owner, bool Family, string Manufacturer, string Model, string Imei, string? OsVersion,
        DeviceSource Source, IReadOnlyList<FindingLine> Findings);

    public sealed record Result(string StaffName, IReadOnlyList<Row> Rows, IReadOnlyList<(Guid Id, string Name)> Family, Register.Command Form);

    internal static async Task<IReadOnlyList<(Guid Id, string Name)>> FamilyAsync(PortalDbContext db, Guid staffId, CancellationToken ct) =>
        (await db.Dependents.AsNoTracking().Where(d => d.StaffMemberId == staffId).OrderBy(d => d.FullName)
            .Select(d => new { d.Id, d.FullName }).ToListAsync(ct)).Select(d => (d.Id, d.FullName)).ToList();

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var staff = await db.OwnStaffRecordAsync(user, ct);
            var family = await FamilyAsync(db, staff.Id, ct);
            var devices = await db.Devices.AsNoTracking().Where(d => d.StaffMemberId == staff.Id && d.RemovedAt == null)
                .OrderBy(d => d.DependentId != null).ThenBy(d => d.RegisteredAt)
                .Select(d => new { d.Id, d.DependentId, d.ManufacturerName, d.Model, d.Imei, d.OsVersion, d.Source })
                .ToListAsync(ct);
            var findings = await Findings.OpenAsync(db, db.Devices.Where(d => d.StaffMemberId == staff.Id && d.RemovedAt == null).Select(d => d.Id), ct);
            var names = family.ToDictionary(f => f.Id, f => f.Name);
            var rows = devices.Select(d => new Row(d.Id,
                d.DependentId is { } dep ? names.GetValueOrDefault(dep, "Family member") : "You", d.DependentId is not null,
                d.ManufacturerName, d.Model, d.Imei, d.OsVersion, d.Source, findings[d.Id].ToList())).ToList();
            return new Result(staff.FullName, rows, family, new Register.Command());
        }
    }
}

internal static class Findings
{
    /// <summary>Open findings (flagged or exempted) of the given devices, with the rule's firmware bound from the published revision.</summary>
    public static async Task<ILookup<Guid, FindingLine>> OpenAsync(PortalDbContext db, IQueryable<Guid> deviceIds, CancellationToken ct)
    {
        var rows = await db.ComplianceFindings.AsNoTracking()
            .Where(f => f.State != FindingState.Remediated && deviceIds.Contains(f.DeviceId))
            .Join(db.Circulars, f => f.CircularId, c => c.Id, (f, c) => new { f, c.ReferenceNumber })
            .OrderBy(x => x.f.Action).ThenBy(x => x.ReferenceNumber)
            .Select(x => new { x.f.Id, x.f.DeviceId, x.f.CircularId, x.ReferenceNumber, x.f.Action, x.f.State, x.f.RevisionNumber, x.f.RulePosition,
                x.f.ExemptionState, x.f.ExemptionExpiresAt })
            .ToListAsync(ct);
        var revisions = rows.Select(r => (r.CircularId, r.RevisionNumber)).Distinct().ToList();
        var circularIds = revisions.Select(r => r.CircularId).Distinct().ToArray();
        var rules = (await db.CircularRevisions.AsNoTracking().Where(r => circularIds.Contains(r.CircularId))
                .Select(r => new { r.CircularId, r.Number, r.Rules }).ToListAsync(ct))
            .ToDictionary(r => (r.CircularId, r.Number), r => r.Rules);
        return rows.ToLookup(r => r.DeviceId, r => new FindingLine(r.Id, r.CircularId, r.ReferenceNumber ?? "", r.Action, r.State,
            rules.TryGetValue((r.CircularId, r.RevisionNumber), out var rs) && r.RulePosition < rs.Count ? rs[r.RulePosition].FirmwareBelow : null,
            r.ExemptionState, r.ExemptionExpiresAt));
    }
}
